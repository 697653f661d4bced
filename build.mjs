// Builds dist/chrome and dist/firefox from one source tree.
//   node build.mjs             development build (pinned Chrome id, local-stack defaults, loopback access)
//   node build.mjs --release   release build (neither)
//   node build.mjs --minify    development build with the release build's minified code, no source maps (the bench)
//   node build.mjs --watch     rebuild on change
//   node build.mjs --release --package   store zips in web-ext-artifacts/ (web-ext build)
import { watch as watchFiles } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { DEV_CHROME_KEY } from './scripts/extension-ids.mjs';
import { LOCAL_STACK_SETTINGS } from './scripts/local-stack.mjs';

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
// Imported (by the bench), the command line is not ours to read.
const { values: flags } = parseArgs({
  args: isMain ? process.argv.slice(2) : [],
  options: {
    release: { type: 'boolean', default: false },
    minify: { type: 'boolean', default: false },
    watch: { type: 'boolean', default: false },
    package: { type: 'boolean', default: false },
    out: { type: 'string', default: 'dist' },
  },
});

export const BROWSERS = ['chrome', 'firefox'];
const LOOPBACK = ['http://127.0.0.1/*', 'http://localhost/*'];

/** Derives one browser's manifest from the root manifest.json. */
export function manifestFor(browser, source, { release }) {
  const manifest = structuredClone(source);
  if (browser === 'chrome') {
    manifest.background = { service_worker: source.background.service_worker };
    // Chrome caps storage.local at 10 MB without it, less than the datasets one person may keep (20 of up to
    // 1 MB each, docs/dataset-model.md); it shows no install warning. Firefox's storage.local has the larger
    // limits of its IndexedDB, and would ask the person at install: not there.
    manifest.permissions = [...source.permissions, 'unlimitedStorage'];
    delete manifest.browser_specific_settings;
    if (!release) manifest.key = DEV_CHROME_KEY;
  } else {
    manifest.background = { scripts: source.background.scripts };
  }
  // The development build may talk to the local stack without asking; a release build asks for every host.
  if (!release) manifest.host_permissions = LOOPBACK;
  return manifest;
}

/**
 * The AWS SDK's browser build parses XML (STS's answers) with DOMParser, which a service worker lacks: use its
 * own small parser without the DOM, the one it uses in Node, everywhere.
 */
const xmlParserWithoutDom = {
  name: 'xml-parser-without-dom',
  setup(build) {
    build.onResolve({ filter: /^\.\/xml-parser(\.browser)?(\.js)?$/ }, (args) =>
      args.importer.includes(`${sep}@aws-sdk${sep}xml-builder${sep}`) ? { path: join(args.resolveDir, 'xml-parser.js') } : undefined,
    );
  },
};

/** esbuild's options every bundle shares; the bench builds its library floors with the same ones. */
export function sharedOptions(browser, { release = flags.release, out = flags.out, minify = flags.minify } = {}) {
  const minified = release || minify;
  return {
    outdir: `${out}/${browser}`,
    bundle: true,
    target: ['chrome120', 'firefox140'],
    minify: minified,
    sourcemap: minified ? false : 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    define: {
      __DEV_DEFAULTS__: release ? 'null' : JSON.stringify(LOCAL_STACK_SETTINGS),
      'process.env.NODE_ENV': JSON.stringify(minified ? 'production' : 'development'),
    },
    logLevel: 'warning',
    metafile: true,
    plugins: [xmlParserWithoutDom],
  };
}

/**
 * The classic scripts: the worker, since service workers refuse import() (and Firefox's event page is a classic
 * script), and the pages' locale setter, which runs in <head> before the body is laid out.
 */
export function workerBundleOptions(browser, options = {}) {
  return {
    ...sharedOptions(browser, options),
    entryPoints: { background: 'src/background/index.ts' },
    format: 'iife',
    splitting: false,
  };
}

/**
 * One page: an ES module (`<script type="module">`) with code splitting, so that a view it loads with import()
 * is a chunk of its own, fetched when it is first shown rather than before the first paint. Each page is a
 * build of its own: built together, esbuild would put what both pages import into chunks shared by them, and
 * each page would load code only the other runs (and more files) before its first paint.
 */
const PAGES = ['popup', 'options'];

export function pageBundleOptions(browser, page, options = {}) {
  return {
    ...sharedOptions(browser, options),
    entryPoints: { [`${page}/${page}`]: `src/${page}/index.tsx` },
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  };
}

/** Every esbuild build of one browser's extension: the worker, then each page. */
export function bundleOptions(browser, options = {}) {
  return [workerBundleOptions(browser, options), ...PAGES.map((page) => pageBundleOptions(browser, page, options))];
}

async function copyStatic(browser) {
  const outdir = `${flags.out}/${browser}`;
  const source = JSON.parse(await readFile('manifest.json', 'utf8'));
  await writeFile(`${outdir}/manifest.json`, `${JSON.stringify(manifestFor(browser, source, flags), null, 2)}\n`);
  await cp('static/_locales', `${outdir}/_locales`, { recursive: true });
  await cp('static/icons', `${outdir}/icons`, { recursive: true });
  await cp('src/ui/theme.css', `${outdir}/theme.css`);
  for (const page of PAGES) {
    await mkdir(`${outdir}/${page}`, { recursive: true });
    await writePageHtml(browser, page);
    await cp(`src/${page}/${page}.css`, `${outdir}/${page}/${page}.css`);
  }
}

/** Per browser and page: the chunks its script imports statically, as the last build wrote them. */
const preloads = new Map();

/**
 * The page's HTML, with a modulepreload link for each chunk its script imports statically: the browser
 * fetches them alongside the script instead of after reading it (one round of fetches, not two).
 */
async function writePageHtml(browser, page) {
  const html = await readFile(`src/${page}/index.html`, 'utf8');
  const links = (preloads.get(`${browser}/${page}`) ?? []).map((path) => `<link rel="modulepreload" href="${path}" />`);
  const withLinks = html.replace(
    /(\n\s*)(<script type="module")/,
    (_, indent, script) => `${links.map((link) => `${indent}${link}`).join('')}${indent}${script}`,
  );
  if (links.length > 0 && withLinks === html) throw new Error(`src/${page}/index.html has no <script type="module"> to preload the chunks for`);
  await writeFile(`${flags.out}/${browser}/${page}/index.html`, withLinks);
}

/** Records, after each build of the pages, which chunks each page's script imports statically, and rewrites its HTML. */
const modulePreloads = (browser) => ({
  name: 'module-preloads',
  setup(build) {
    build.onEnd(async ({ metafile }) => {
      if (!metafile) return;
      // The metafile names outputs relative to the working directory, whatever --out was given as.
      const outdir = relative(process.cwd(), `${flags.out}/${browser}`).split(sep).join('/');
      for (const page of PAGES) {
        // Each page is a build of its own: this one wrote only its own page.
        if (!metafile.outputs[`${outdir}/${page}/${page}.js`]) continue;
        const seen = new Set([`${outdir}/${page}/${page}.js`]);
        for (const path of seen) {
          for (const imported of metafile.outputs[path]?.imports ?? [])
            if (imported.kind === 'import-statement' && !imported.external) seen.add(imported.path);
        }
        seen.delete(`${outdir}/${page}/${page}.js`);
        preloads.set(
          `${browser}/${page}`,
          [...seen].map((path) => relative(`${outdir}/${page}`, path).split(sep).join('/')),
        );
        await mkdir(`${flags.out}/${browser}/${page}`, { recursive: true });
        await writePageHtml(browser, page);
      }
    });
  },
});

/** What build.mjs runs for one browser: the bundles, and the pages' HTML following their chunks. */
function buildsFor(browser) {
  const [worker, ...pages] = bundleOptions(browser);
  return [worker, ...pages.map((page) => ({ ...page, plugins: [...page.plugins, modulePreloads(browser)] }))];
}

async function buildOnce(browser) {
  await rm(`${flags.out}/${browser}`, { recursive: true, force: true });
  await mkdir(`${flags.out}/${browser}`, { recursive: true });
  await Promise.all(buildsFor(browser).map((options) => esbuild.build(options)));
  await copyStatic(browser);
}

async function packageAll() {
  const { default: webExt } = await import('web-ext');
  for (const browser of BROWSERS) {
    const result = await webExt.cmd.build(
      {
        sourceDir: `${flags.out}/${browser}`,
        artifactsDir: 'web-ext-artifacts',
        filename: `cognito-sync-${browser}-{version}.zip`,
        overwriteDest: true,
        ignoreFiles: ['**/*.map'],
      },
      { shouldExitProgram: false },
    );
    console.log(`packaged ${result.extensionPath}`);
  }
}

async function watch() {
  for (const browser of BROWSERS) {
    await rm(`${flags.out}/${browser}`, { recursive: true, force: true });
    await mkdir(`${flags.out}/${browser}`, { recursive: true });
    await copyStatic(browser);
    for (const options of buildsFor(browser)) await (await esbuild.context(options)).watch();
  }
  // esbuild watches what it bundles; the manifest, HTML, CSS, icons and _locales are copied on change.
  let pending;
  const recopy = () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      for (const browser of BROWSERS) copyStatic(browser).catch((error) => console.error(error));
    }, 100);
  };
  for (const path of ['manifest.json', 'static', 'src']) {
    watchFiles(path, { recursive: true }, (_, file) => {
      if (path !== 'src' || /\.(html|css)$/.test(file ?? '')) recopy();
    });
  }
  console.log('watching src/, static/ and manifest.json for changes (Ctrl-C to stop)');
}

if (isMain) {
  // A development build carries the pinned key, the local stack's settings and loopback access: never a store upload.
  if (flags.package && (!flags.release || flags.watch)) {
    console.error('build.mjs: --package makes store zips and needs a release build: node build.mjs --release --package (npm run package)');
    process.exit(2);
  }
  if (flags.watch) {
    await watch();
  } else {
    for (const browser of BROWSERS) await buildOnce(browser);
    console.log(
      `built ${BROWSERS.map((b) => `${flags.out}/${b}`).join(' and ')} (${flags.release ? 'release' : flags.minify ? 'development, minified' : 'development'})`,
    );
    if (flags.package) await packageAll();
  }
}
