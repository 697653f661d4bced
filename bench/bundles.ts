// Bench part: each bundle of the release build, raw and gzipped, against its floor: a bundle built with
// the same esbuild options (build.mjs) from a minimal entry that imports only the library exports the
// bundle's own sources import (found by reading those sources, so a client added later counts too).
// The difference is what the project's own code adds. The largest inputs come from esbuild's metafile.
// The pages are ES modules split into chunks: a page's first load is its entry and every chunk it imports
// statically (all fetched before its code runs), measured against the budget; the chunks it loads with
// import() are added in a column of their own.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { pageBundleOptions, workerBundleOptions } from '../build.mjs';

/** Gzipped budgets, of a page's first load. The worker's own code over its libraries, and the popup whole, have the tighter budgets. */
export const BUNDLE_BUDGETS = {
  'background.js': { ownGzip: 12 * 1024 },
  'popup/popup.js': { gzip: 12 * 1024 },
  'options/options.js': { gzip: 20 * 1024 },
} as const satisfies Record<string, { gzip?: number; ownGzip?: number }>;

export type BundleName = keyof typeof BUNDLE_BUDGETS;

export interface BundleRow {
  bundle: BundleName;
  /** The files fetched before the bundle's code runs: the entry and the chunks it imports statically. */
  files: string[];
  rawBytes: number;
  /** Each file gzipped on its own, summed (the files are fetched one by one). */
  gzipBytes: number;
  /** With every chunk it may load later with import() as well. */
  withLazyGzipBytes: number;
  floorRawBytes: number;
  floorGzipBytes: number;
  /** The libraries the floor imports, with how many of their exports. */
  libraries: string[];
  /** The largest inputs in the first load (minified bytes in the output), a package or a source file each. */
  largest: Array<{ input: string; bytes: number }>;
}

const ENTRY_OF: Record<BundleName, string> = {
  'background.js': 'background',
  'popup/popup.js': 'popup/popup',
  'options/options.js': 'options/options',
};

type Metafile = esbuild.Metafile;

/** The output files reachable from `entry` through the import kinds given, the entry first. */
function reachable(metafile: Metafile, entry: string, kinds: ReadonlyArray<string>): string[] {
  const seen = new Set<string>([entry]);
  for (const path of seen) {
    for (const imported of metafile.outputs[path]?.imports ?? []) if (!imported.external && kinds.includes(imported.kind)) seen.add(imported.path);
  }
  return [...seen];
}

const gzip = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length;
const isBare = (specifier: string): boolean => !specifier.startsWith('.') && !specifier.startsWith('/');

/** Where an input comes from: its package for node_modules, else its path in the repository. */
function inputName(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return path;
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
}

/** Per library specifier: the exports a source file imports as values ('default' for a default import). */
function libraryImports(file: string, into: Map<string, Set<string>>): void {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const namespaces = new Map<string, string>();
  const add = (specifier: string, name: string): void => {
    const names = into.get(specifier) ?? new Set<string>();
    names.add(name);
    into.set(specifier, names);
  };
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (!isBare(specifier) || !clause || clause.isTypeOnly) continue;
    if (clause.name) add(specifier, 'default');
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.set(bindings.name.text, specifier);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) if (!element.isTypeOnly) add(specifier, (element.propertyName ?? element.name).text);
    }
  }
  // `import * as oauth`: the members the code reads (oauth.discoveryRequest...), not the whole namespace.
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const specifier = namespaces.get(node.expression.text);
      if (specifier) add(specifier, node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  if (namespaces.size > 0) visit(source);
  if (file.endsWith('.tsx')) for (const name of ['jsx', 'jsxs', 'Fragment']) add('preact/jsx-runtime', name);
}

/** A module importing exactly those exports and keeping each alive. */
function floorEntry(imports: Map<string, Set<string>>): string {
  const lines: string[] = [];
  const kept: string[] = [];
  for (const [specifier, names] of imports) {
    const named: string[] = [];
    for (const name of names) {
      const local = `l${kept.length}`;
      kept.push(local);
      if (name === 'default') lines.push(`import ${local} from ${JSON.stringify(specifier)};`);
      else named.push(`${name} as ${local}`);
    }
    if (named.length > 0) lines.push(`import { ${named.join(', ')} } from ${JSON.stringify(specifier)};`);
  }
  lines.push(`(globalThis as Record<string, unknown>).floor = [${kept.join(', ')}];`);
  return lines.join('\n');
}

export async function measureBundles(): Promise<BundleRow[]> {
  const out = { release: true, out: 'bench-out' };
  const builds = [workerBundleOptions('chrome', out), pageBundleOptions('chrome', 'popup', out), pageBundleOptions('chrome', 'options', out)];
  const results = await Promise.all(builds.map((options) => esbuild.build({ ...options, write: false, metafile: true })));
  const rows: BundleRow[] = [];
  for (const bundle of Object.keys(BUNDLE_BUDGETS) as BundleName[]) {
    const entryPath = `bench-out/chrome/${ENTRY_OF[bundle]}.js`;
    const at = results.findIndex((result) => result.metafile.outputs[entryPath] !== undefined);
    const result = results[at];
    const options = builds[at];
    if (!result || !options) throw new Error(`esbuild wrote no ${entryPath}`);
    const bytesOf = (path: string): Uint8Array => {
      const output = result.outputFiles.find((file) => relative(process.cwd(), file.path) === path);
      if (!output) throw new Error(`esbuild wrote no ${path}`);
      return output.contents;
    };
    const files = reachable(result.metafile, entryPath, ['import-statement']);
    const withLazy = reachable(result.metafile, entryPath, ['import-statement', 'dynamic-import']);
    const inputs = files.flatMap((file) => Object.entries(result.metafile.outputs[file]?.inputs ?? {}));

    const imports = new Map<string, Set<string>>();
    for (const [input] of inputs) if (!input.includes('node_modules/') && /\.tsx?$/.test(input)) libraryImports(input, imports);
    // The floor is one file built with the bundle's own options (format included); it has nothing to split.
    const { entryPoints: _entries, outdir: _outdir, splitting: _splitting, chunkNames: _chunks, ...shared } = options;
    const floor = await esbuild.build({
      ...shared,
      stdin: { contents: floorEntry(imports), resolveDir: process.cwd(), sourcefile: 'floor.ts', loader: 'ts' },
      write: false,
      metafile: false,
    });
    const floorBytes = floor.outputFiles?.[0]?.contents;
    if (!floorBytes) throw new Error(`the floor of ${bundle} built nothing`);

    const byInput = new Map<string, number>();
    for (const [input, { bytesInOutput }] of inputs) byInput.set(inputName(input), (byInput.get(inputName(input)) ?? 0) + bytesInOutput);
    const sum = (paths: string[], size: (bytes: Uint8Array) => number): number => paths.reduce((total, path) => total + size(bytesOf(path)), 0);
    rows.push({
      bundle,
      files: files.map((file) => relative('bench-out/chrome', file)),
      rawBytes: sum(files, (bytes) => bytes.length),
      gzipBytes: sum(files, gzip),
      withLazyGzipBytes: sum(withLazy, gzip),
      floorRawBytes: floorBytes.length,
      floorGzipBytes: gzip(floorBytes),
      libraries: [...imports].map(([specifier, names]) => `${specifier} (${names.size})`),
      largest: [...byInput]
        .map(([input, bytes]) => ({ input, bytes }))
        .filter(({ bytes }) => bytes > 0)
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 8),
    });
  }
  return rows;
}
