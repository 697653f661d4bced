// Bench part: each bundle's size, raw and gzipped, of the release build, against the budgets in the README.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleRow {
  bundle: string;
  rawBytes: number;
  gzipBytes: number;
  budgetGzipBytes: number;
}

/** Gzipped budgets: the worker carries jose, oauth4webapi and two AWS SDK clients; the pages carry preact. */
export const BUNDLE_BUDGETS: Record<string, number> = {
  'background.js': 110 * 1024,
  'popup/popup.js': 20 * 1024,
  'options/options.js': 20 * 1024,
};

export function measureBundles(): BundleRow[] {
  const out = mkdtempSync(join(tmpdir(), 'bench-build-'));
  try {
    execFileSync(process.execPath, ['build.mjs', '--release', '--out', out], { stdio: 'ignore' });
    return Object.entries(BUNDLE_BUDGETS).map(([bundle, budgetGzipBytes]) => {
      const bytes = readFileSync(join(out, 'chrome', bundle));
      return { bundle, rawBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length, budgetGzipBytes };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
