// Bench part two, in headless Chromium with the development build: the popup's first paint with a
// 1,024-record dataset, and the worker's cold start to its first answer (against a warm answer).
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { startStack } from '../stack/index';
import type { ExtensionGlobal } from '../test/browser/support/extension-global';
import { chromiumProfile, configure } from '../test/browser/support/profiles';

export interface PaintTiming {
  /** Median over the runs, in milliseconds from navigation start. */
  firstContentfulPaintMs: number;
  /** The `popup-ready` mark: the first frame that shows the person's data. */
  readyMs: number;
  records: number;
  runs: number;
}

export interface ColdStart {
  coldMs: number;
  warmMs: number;
  runs: number;
}

const RECORDS = 1024;
const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Milliseconds for one message round trip to the worker, measured inside the page. */
function pingFrom(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const started = performance.now();
    await (globalThis as ExtensionGlobal).chrome.runtime.sendMessage({ type: 'ping', args: [] });
    return performance.now() - started;
  });
}

export async function runBrowserBench(): Promise<{ paint: PaintTiming; start: ColdStart }> {
  execFileSync(process.execPath, ['build.mjs'], { stdio: 'ignore' });
  const stack = await startStack({ port: 0 });
  const profile = await chromiumProfile('bench');
  try {
    await configure(profile, stack);
    const popup = await profile.openPage('popup/index.html');
    await profile.signInThroughWindow(() => popup.click('Sign in'), 'alice');
    await popup.waitForButton('Sign out');
    await popup.close();

    const page = await profile.extension.openPage('options/index.html');
    await page.evaluate(async (count) => {
      const { runtime } = (globalThis as ExtensionGlobal).chrome;
      for (let i = 0; i < count; i++) {
        await runtime.sendMessage({ type: 'putRecord', args: [`key-${String(i).padStart(4, '0')}`, `value number ${i}`] });
      }
      await runtime.sendMessage({ type: 'syncNow', args: [] });
    }, RECORDS);

    const fcp: number[] = [];
    const ready: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const tab = await profile.extension.openPage('popup/index.html');
      await tab.getByRole('rowheader', { name: 'key-1023' }).waitFor();
      const marks = await tab.evaluate(() => ({
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        ready: performance.getEntriesByName('popup-ready')[0]?.startTime ?? Number.NaN,
      }));
      fcp.push(marks.fcp);
      ready.push(marks.ready);
      await tab.close();
    }

    const cold: number[] = [];
    const warm: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await profile.extension.stopWorkers();
      cold.push(await pingFrom(page));
      warm.push(await pingFrom(page));
    }
    return {
      paint: { firstContentfulPaintMs: median(fcp), readyMs: median(ready), records: RECORDS, runs: RUNS },
      start: { coldMs: median(cold), warmMs: median(warm), runs: RUNS },
    };
  } finally {
    await profile.close();
    await stack.close();
  }
}
