import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GECKO_ID } from '../../scripts/extension-ids.mjs';

const run = promisify(execFile);

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

describe.each([
  ['development', []],
  ['release', ['--release']],
])('the %s build', (kind, flags) => {
  let out: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'build-'));
    await run(process.execPath, ['build.mjs', '--out', out, ...flags]);
  }, 60_000);
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('gives Chrome a service worker and Firefox background scripts with a gecko id', async () => {
    const chrome = await readJson(join(out, 'chrome/manifest.json'));
    const firefox = await readJson(join(out, 'firefox/manifest.json'));
    expect(chrome.background).toEqual({ service_worker: 'background.js' });
    expect(chrome).not.toHaveProperty('browser_specific_settings');
    expect(firefox.background).toEqual({ scripts: ['background.js'] });
    expect(firefox).toMatchObject({ browser_specific_settings: { gecko: { id: GECKO_ID } } });
  });

  it('bundles the worker as one script without dynamic import', async () => {
    const worker = await readFile(join(out, 'chrome/background.js'), 'utf8');
    expect(worker).not.toMatch(/\bimport\s*\(/);
    expect(worker).not.toMatch(/^\s*(import|export)\s/m);
  });

  it('bundles a worker that parses STS’s XML answers without DOMParser, which a service worker lacks', async () => {
    for (const browser of ['chrome', 'firefox']) {
      const worker = await readFile(join(out, `${browser}/background.js`), 'utf8');
      expect(worker).toContain('AssumeRoleWithWebIdentity');
      expect(worker, browser).not.toContain('DOMParser');
    }
  });

  it('loads each page as an ES module whose imports are all files of the build, none of them the other page’s', async () => {
    const importsOf = async (file: string): Promise<string[]> => {
      const code = await readFile(file, 'utf8');
      return [...code.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)].map((m) =>
        join(dirname(file), m[1] ?? m[2] ?? ''),
      );
    };
    const firstLoads: string[][] = [];
    for (const page of ['popup', 'options']) {
      const html = await readFile(join(out, `chrome/${page}/index.html`), 'utf8');
      expect(html).toContain(`<script type="module" src="${page}.js"></script>`);
      const imports = await importsOf(join(out, `chrome/${page}/${page}.js`));
      for (const path of imports) await expect(readFile(path, 'utf8'), path).resolves.toEqual(expect.any(String));
      // Each chunk it imports statically is preloaded from the page (fetched alongside its script, not after).
      const code = await readFile(join(out, `chrome/${page}/${page}.js`), 'utf8');
      const preloaded = [...code.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map(([, path]) => path);
      expect(preloaded).not.toEqual([]);
      for (const path of preloaded) expect(html).toContain(`<link rel="modulepreload" href="${path}" />`);
      firstLoads.push(imports);
    }
    // Each page is a build of its own: before its first paint it loads no code that only the other page runs.
    const [popup = [], options = []] = firstLoads;
    expect(popup.filter((path) => options.includes(path))).toEqual([]);
  });

  it('asks for hosts only at run time, except loopback in development', async () => {
    const chrome = await readJson(join(out, 'chrome/manifest.json'));
    // Chrome's 10 MB cap on storage.local is less than one person's datasets may take.
    expect(chrome.permissions).toEqual(['identity', 'storage', 'alarms', 'unlimitedStorage']);
    expect((await readJson(join(out, 'firefox/manifest.json'))).permissions).toEqual(['identity', 'storage', 'alarms']);
    if (kind === 'release') {
      expect(chrome).not.toHaveProperty('host_permissions');
      expect(chrome).not.toHaveProperty('key');
      const worker = await readFile(join(out, 'chrome/background.js'), 'utf8');
      expect(worker).not.toContain('local-extension');
    } else {
      expect(chrome.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
      expect(typeof chrome.key).toBe('string');
    }
  });
});

describe('packaging for the stores', () => {
  it('refuses a development build, building and packaging nothing', async () => {
    const out = await mkdtemp(join(tmpdir(), 'build-'));
    try {
      const failure = await run(process.execPath, ['build.mjs', '--package', '--out', join(out, 'dist')]).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('needs a release build: node build.mjs --release --package') });
      await expect(readFile(join(out, 'dist/chrome/manifest.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('the minified development build the bench measures', () => {
  it('keeps the development manifest and runs the release build’s page code, without source maps', async () => {
    const out = await mkdtemp(join(tmpdir(), 'build-'));
    try {
      const builds = ['development', 'minified', 'release'] as const;
      const flags = { development: [], minified: ['--minify'], release: ['--release'] };
      await Promise.all(builds.map((kind) => run(process.execPath, ['build.mjs', '--out', join(out, kind), ...flags[kind]])));
      const manifest = await readJson(join(out, 'minified/chrome/manifest.json'));
      expect(manifest).toEqual(await readJson(join(out, 'development/chrome/manifest.json')));
      const files = await readdir(join(out, 'minified/chrome'), { recursive: true });
      expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
      for (const page of ['popup', 'options']) {
        const length = async (kind: (typeof builds)[number]): Promise<number> =>
          (await readFile(join(out, `${kind}/chrome/${page}/${page}.js`))).length;
        // The same code as the release build's; only the names the minifier picks may differ.
        expect(Math.abs((await length('minified')) - (await length('release'))), page).toBeLessThan(64);
        expect(await length('development'), page).toBeGreaterThan(1.5 * (await length('minified')));
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
