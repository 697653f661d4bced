// Bench part, in headless Chromium with the development build, minified as the release build is (the code a person
// runs, not the source maps' readable copy), and the local stack. Each run opens, in
// a rotating order: the popup's floor (its HTML shell and stylesheet with one line of static text and no
// script: the fastest a page of this extension can paint), the popup with the worker running, the popup
// with the worker stopped just before, the options page's floor and the options page, and a static copy of
// each page's first frame. Every popup and options figure is reported against its floor measured in the same
// runs. Then the worker's cold start.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { startStack } from '../stack/index';
import { CHROMIUM } from '../test/browser/support/chromium';
import type { ExtensionGlobal } from '../test/browser/support/extension-global';
import { chromiumProfile, configure } from '../test/browser/support/profiles';
import { FIRST_SCREEN_TIMING } from '../src/popup/marks';
import { DEFAULT_SETTINGS } from '../src/shared/settings';
import { createDevice } from '../test/support/sync-device';
import { signInAtStack } from '../test/support/stack-identity';
import { summarize, type Summary } from './stats';

export const RECORDS = 1024;
/** Runs per figure (with 15, a page's ratio moved by 0.1–0.2 from one run of the bench to the next); BENCH_RUNS overrides. */
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const FLOOR_PAGE = 'bench-floor.html';
/** The page's first frame as it rendered, saved as HTML in the same shell, without the script. */
const COPY_PAGE = 'bench-first-frame.html';
/** The floor's root: one line of text, like the page's first. */
const FLOOR_ROOT = '<div id="root"><main><p>Cognito Sync</p></main></div>';

export interface PopupPaint {
  /** First contentful paint, from navigation start. */
  firstPaint: Summary;
  /** The last row of the first screen painted (Element Timing). */
  lastRow: Summary;
  /** The `popup-ready` mark: after the frame that painted the first rows. */
  ready: Summary;
}

export interface BrowserBench {
  chromium: string;
  records: number;
  floor: { popup: Summary; options: Summary };
  /** The static copy of each page's first frame: what its content costs to lay out and paint, no script run. */
  copy: { popup: Summary; options: Summary };
  popup: { warm: PopupPaint; stopped: PopupPaint };
  options: { firstPaint: Summary };
  /** `retaken`: cold samples taken again because the ping found the worker running (no start was reported). */
  worker: { cold: Summary; warm: Summary; retaken: number };
}

/** The page's shell as built, without its script: what any page of the extension costs to paint. */
function writeFloorPage(page: 'popup' | 'options'): void {
  const shell = readFileSync(`dist/chrome/${page}/index.html`, 'utf8');
  const floor = shell
    .replace(/\s*<script[^>]*><\/script>/g, '')
    .replace(/\s*<link rel="modulepreload"[^>]*>/g, '')
    // A page with nothing to paint has no first contentful paint: one line of text, like the page's first.
    .replace('<div id="root"></div>', FLOOR_ROOT);
  if (floor.includes('<script') || floor.includes('modulepreload') || !floor.includes(FLOOR_ROOT))
    throw new Error(`${page}/index.html no longer has the shape the floor page expects`);
  writeFileSync(`dist/chrome/${page}/${FLOOR_PAGE}`, floor);
}

/**
 * Runs in the page before its own script: when the first contentful paint is reported, keeps the root's HTML as it
 * was painted, with the fields' values, choices and checks written as attributes. The pages ask the worker and
 * load their later chunk only after that report (src/ui/after-first-paint.ts), and this observer, registered
 * first, is called first.
 */
function keepFirstFrame(): void {
  new PerformanceObserver((list, observer) => {
    if (list.getEntriesByName('first-contentful-paint').length === 0) return;
    observer.disconnect();
    const root = document.getElementById('root');
    if (!root) return;
    for (const field of root.querySelectorAll('input')) {
      if (field.type === 'checkbox' || field.type === 'radio') field.toggleAttribute('checked', field.checked);
      else field.setAttribute('value', field.value);
    }
    for (const option of root.querySelectorAll('option')) option.toggleAttribute('selected', option.selected);
    for (const area of root.querySelectorAll('textarea')) area.textContent = area.value;
    (globalThis as { firstFrame?: string }).firstFrame = root.innerHTML;
  }).observe({ type: 'paint', buffered: true });
}

/** Opens the page once and saves its first frame, in its floor's shell, as a page with no script. */
async function writeFirstFrameCopy(context: BrowserContext, extensionId: string, into: 'popup' | 'options'): Promise<void> {
  const page = await context.newPage();
  await page.addInitScript(keepFirstFrame);
  await page.goto(`chrome-extension://${extensionId}/${into}/index.html`);
  const html = await page.waitForFunction(() => (globalThis as { firstFrame?: string }).firstFrame, undefined, { timeout: 15_000 });
  const frame = String(await html.jsonValue());
  await page.close();
  // writeFloorPage wrote the floor with FLOOR_ROOT, or stopped the bench.
  const floor = readFileSync(`dist/chrome/${into}/${FLOOR_PAGE}`, 'utf8');
  writeFileSync(
    `dist/chrome/${into}/${COPY_PAGE}`,
    floor.replace(FLOOR_ROOT, () => `<div id="root">${frame}</div>`),
  );
}

/** Opens an extension page in a new tab and waits for its load event. */
async function open(context: BrowserContext, extensionId: string, path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/${path}`);
  return page;
}

function firstContentfulPaint(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list, observer) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (!entry) return;
          observer.disconnect();
          resolve(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
      }),
  );
}

/** When the element marked `elementtiming=name` was painted; NaN when it was not within 10 s. */
function elementPaint(page: Page, name: string): Promise<number> {
  return page.evaluate(
    (identifier) =>
      new Promise<number>((resolve) => {
        const timer = setTimeout(() => resolve(Number.NaN), 10_000);
        new PerformanceObserver((list, observer) => {
          for (const entry of list.getEntries() as Array<PerformanceEntry & { identifier?: string; renderTime?: number }>) {
            if (entry.identifier !== identifier) continue;
            observer.disconnect();
            clearTimeout(timer);
            resolve(entry.renderTime || entry.startTime);
          }
        }).observe({ type: 'element', buffered: true });
      }),
    name,
  );
}

async function popupPaint(page: Page): Promise<{ firstPaint: number; lastRow: number; ready: number }> {
  await page.waitForFunction(() => performance.getEntriesByName('popup-ready').length > 0, undefined, { timeout: 15_000 });
  const ready = await page.evaluate(() => performance.getEntriesByName('popup-ready')[0]?.startTime ?? Number.NaN);
  return { firstPaint: await firstContentfulPaint(page), lastRow: await elementPaint(page, FIRST_SCREEN_TIMING), ready };
}

/** Milliseconds for one message round trip to the worker, measured inside the page. */
function pingFrom(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const started = performance.now();
    await (globalThis as ExtensionGlobal).chrome.runtime.sendMessage({ type: 'ping', args: [] });
    return performance.now() - started;
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runBrowserBench(): Promise<BrowserBench> {
  execFileSync(process.execPath, ['build.mjs', '--minify'], { stdio: 'ignore' });
  writeFloorPage('popup');
  writeFloorPage('options');
  const chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  const stack = await startStack({ port: 0, memory: true });
  const profile = await chromiumProfile('bench');
  const { context, extensionId } = profile.extension;
  try {
    await configure(profile, stack);
    const popup = await profile.openPage('popup/index.html');
    await profile.signInThroughWindow(() => popup.click('Sign in'), 'alice');
    await popup.waitForButton('Sign out');
    await popup.close();

    // A page without script stays open: it sends the messages and holds the CDP session that stops the worker.
    const control = await open(context, extensionId, `options/${FLOOR_PAGE}`);
    // The records come from another device of the same person, through the server: one sync pulls them all.
    const other = await createDevice(stack, { identity: await signInAtStack(stack, 'alice'), dataset: DEFAULT_SETTINGS.datasetName });
    for (let i = 0; i < RECORDS; i++) await other.service.put(`key-${String(i).padStart(4, '0')}`, `value number ${i}`);
    await other.service.sync();
    const shown = await control.evaluate(async () => {
      const { runtime } = (globalThis as ExtensionGlobal).chrome;
      await runtime.sendMessage({ type: 'syncNow', args: [] });
      const reply: unknown = await runtime.sendMessage({ type: 'openDataset', args: [] });
      const records = (reply as { value?: { records?: unknown } }).value?.records;
      return Array.isArray(records) ? records.length : -1;
    });
    if (shown !== RECORDS) throw new Error(`the extension holds ${shown} records after its sync, not ${RECORDS}`);

    await writeFirstFrameCopy(context, extensionId, 'popup');
    await writeFirstFrameCopy(context, extensionId, 'options');

    const session = await context.newCDPSession(control);
    const running = new Map<string, string>();
    // Starts of the worker, as CDP reports them: a cold sample counts only if the worker started during it.
    let starts = 0;
    session.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) {
        if (version.runningStatus === 'starting' && running.get(version.versionId) !== 'starting') starts++;
        running.set(version.versionId, version.runningStatus);
      }
    });
    await session.send('ServiceWorker.enable');
    const stopWorker = async (): Promise<void> => {
      await session.send('ServiceWorker.stopAllWorkers');
      for (let waited = 0; [...running.values()].some((status) => status !== 'stopped') && waited < 5_000; waited += 10) await sleep(10);
    };
    const wakeWorker = async (): Promise<void> => void (await pingFrom(control));

    const samples = {
      floorPopup: [] as number[],
      floorOptions: [] as number[],
      copyPopup: [] as number[],
      copyOptions: [] as number[],
      options: [] as number[],
      warm: { firstPaint: [] as number[], lastRow: [] as number[], ready: [] as number[] },
      stopped: { firstPaint: [] as number[], lastRow: [] as number[], ready: [] as number[] },
    };
    const popupCase = (into: typeof samples.warm, before: () => Promise<void>) => async () => {
      await before();
      const page = await open(context, extensionId, 'popup/index.html');
      const paint = await popupPaint(page);
      into.firstPaint.push(paint.firstPaint);
      into.lastRow.push(paint.lastRow);
      into.ready.push(paint.ready);
      await page.close();
    };
    const pageCase = (path: string, into: number[]) => async () => {
      const page = await open(context, extensionId, path);
      into.push(await firstContentfulPaint(page));
      await page.close();
    };
    const cases = [
      pageCase(`popup/${FLOOR_PAGE}`, samples.floorPopup),
      popupCase(samples.warm, wakeWorker),
      popupCase(samples.stopped, stopWorker),
      pageCase(`options/${FLOOR_PAGE}`, samples.floorOptions),
      pageCase('options/index.html', samples.options),
      pageCase(`popup/${COPY_PAGE}`, samples.copyPopup),
      pageCase(`options/${COPY_PAGE}`, samples.copyOptions),
    ];
    // One run opens each page once; the order rotates so that no page always follows the same one.
    await cases[0]?.();
    for (let run = 0; run < RUNS; run++) {
      for (let i = 0; i < cases.length; i++) await cases[(run + i) % cases.length]?.();
    }
    samples.floorPopup.shift();

    const cold: number[] = [];
    const warm: number[] = [];
    let retaken = 0;
    while (cold.length < RUNS) {
      await stopWorker();
      const before = starts;
      const ms = await pingFrom(control);
      for (let waited = 0; starts === before && waited < 1_000; waited += 10) await sleep(10);
      if (starts === before) {
        // The stop left the worker running (or it was started again before the ping): not a cold start.
        if (++retaken > RUNS) throw new Error(`the worker did not stop in ${retaken} of the bench's attempts`);
        continue;
      }
      cold.push(ms);
      warm.push(await pingFrom(control));
    }
    await session.detach();
    const paint = (s: typeof samples.warm): PopupPaint => ({
      firstPaint: summarize(s.firstPaint),
      lastRow: summarize(s.lastRow),
      ready: summarize(s.ready),
    });
    return {
      chromium,
      records: RECORDS,
      floor: { popup: summarize(samples.floorPopup), options: summarize(samples.floorOptions) },
      copy: { popup: summarize(samples.copyPopup), options: summarize(samples.copyOptions) },
      popup: { warm: paint(samples.warm), stopped: paint(samples.stopped) },
      options: { firstPaint: summarize(samples.options) },
      worker: { cold: summarize(cold), warm: summarize(warm), retaken },
    };
  } finally {
    await profile.close();
    await stack.close();
    // The development build again, as the tests and `npm start` expect it (readable code, source maps).
    execFileSync(process.execPath, ['build.mjs'], { stdio: 'ignore' });
  }
}
