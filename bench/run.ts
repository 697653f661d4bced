// `npm run bench`: every bench part, as markdown tables, printed and written to docs/performance.md with
// the machine, the browser, the date and the commit. The README quotes budgets and links that file; no
// figure is copied by hand. A part is a title, a note and tables; add one by appending to PARTS.
// `npm run bench -- bundles popup` runs only the parts whose titles contain one of those words, and prints
// them without writing the file (a partial file would mix figures of different runs).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release as osRelease } from 'node:os';
import { runBrowserBench, type BrowserBench, type PopupPaint } from './browser';
import { BUNDLE_BUDGETS, measureBundles } from './bundles';
import { runPeerBench } from './peers';
import { formatSummary, type Summary } from './stats';
import { cognitoSyncBenchTable } from './cognito-sync';
import { runSyncBench } from './sync';

export interface Table {
  headers: string[];
  rows: Array<Array<string | number>>;
}

export interface BenchPart {
  title: string;
  run(): Promise<{ note?: string; tables: Table[] }>;
}

const OUTPUT = 'docs/performance.md';
const KiB = (bytes: number): string => (bytes / 1024).toFixed(1);
/** Filled by the browser part. */
const browserVersion = { value: 'no browser ran' };
const met = (ok: boolean): string => (ok ? 'yes' : '**no**');
const ratio = (measure: Summary, floor: Summary): number => measure.median / floor.median;

/** Budgets met or not, gathered from the parts as they run, for the summary at the top. */
const verdicts: Array<[string, string, string, string]> = [];
function budget(figure: string, measured: string, limit: string, ok: boolean): string {
  verdicts.push([figure, measured, limit, met(ok)]);
  return met(ok);
}

/** A row measured for comparison, with no budget of its own. */
const reference = (what: string, summary: Summary, floor: Summary): Table['rows'][number] => [
  what,
  formatSummary(summary),
  summary.runs,
  `${ratio(summary, floor).toFixed(2)}×`,
  '–',
  '–',
];

function paintRows(label: string, paint: PopupPaint, floor: Summary, limits: { firstPaint: number; lastRow: number }): Table['rows'] {
  const rows: Table['rows'] = [];
  const row = (what: string, summary: Summary, limit?: number): void => {
    const r = ratio(summary, floor);
    const within = limit === undefined ? '–' : budget(`popup ${what}, ${label}`, `${r.toFixed(2)}×`, `${limit}×`, r <= limit);
    rows.push([`popup ${what}, ${label}`, formatSummary(summary), summary.runs, `${r.toFixed(2)}×`, limit === undefined ? '–' : `${limit}×`, within]);
  };
  row('first contentful paint', paint.firstPaint, limits.firstPaint);
  row('last row of the first screen painted', paint.lastRow, limits.lastRow);
  row('`popup-ready` mark', paint.ready);
  return rows;
}

const PARTS: BenchPart[] = [
  {
    title: 'Credentials: requests per sign-in and per restart, enhanced and basic flows',
    run: async () => ({ tables: await (await import('./flows')).flowTables() }),
  },
  {
    title: 'Popup and options page: first paint against an empty extension page (headless Chromium)',
    async run() {
      const b: BrowserBench = await runBrowserBench();
      browserVersion.value = b.chromium;
      const headers = ['measure (ms from navigation start)', 'median (min–max)', 'runs', 'vs its floor', 'budget', 'within'];
      return {
        note:
          `${b.records} records in the dataset, the development build (it may reach the local stack without asking) with its code minified as in the release build, without source maps. The floor is the page's own HTML shell and stylesheet with one line of ` +
          'static text and no script, opened in the same runs as the page it is compared with. "Worker stopped": ' +
          'CDP `ServiceWorker.stopAllWorkers` just before the popup opens. The last row of the first screen is timed ' +
          'with Element Timing; `popup-ready` is marked in the task after the frame that painted the rows. ' +
          "The static copy of a first frame is the page's HTML when its first contentful paint was reported, saved in this " +
          "run (its fields' values, choices and checks as attributes) into the floor's shell: no script runs and no storage is read, so its ratio is what laying out " +
          "and painting that content costs, and the page's ratio above it is what its script adds. A worker cold start " +
          `counts only when CDP reported the worker starting during it (${b.worker.retaken} taken again: the stop had left it running).`,
        tables: [
          {
            headers,
            rows: [
              reference('empty popup page (floor)', b.floor.popup, b.floor.popup),
              reference("static copy of the popup's first frame", b.copy.popup, b.floor.popup),
              ...paintRows('worker running', b.popup.warm, b.floor.popup, { firstPaint: 1.2, lastRow: 1.5 }),
              ...paintRows('worker stopped', b.popup.stopped, b.floor.popup, { firstPaint: 1.2, lastRow: 2.5 }),
              reference('empty options page (floor)', b.floor.options, b.floor.options),
              reference("static copy of the options page's first frame", b.copy.options, b.floor.options),
              [
                'options page first contentful paint',
                formatSummary(b.options.firstPaint),
                b.options.firstPaint.runs,
                `${ratio(b.options.firstPaint, b.floor.options).toFixed(2)}×`,
                '1.2×',
                budget(
                  'options page first contentful paint',
                  `${ratio(b.options.firstPaint, b.floor.options).toFixed(2)}×`,
                  '1.2×',
                  ratio(b.options.firstPaint, b.floor.options) <= 1.2,
                ),
              ],
            ],
          },
          {
            headers: ['worker', 'median (min–max), ms', 'runs', 'budget (ms)', 'within'],
            rows: [
              [
                'stopped worker: start to its first answer',
                formatSummary(b.worker.cold),
                b.worker.cold.runs,
                250,
                budget('worker cold start to its first answer', `${b.worker.cold.median.toFixed(1)} ms`, '250 ms', b.worker.cold.median <= 250),
              ],
              ['the same answer from the running worker', formatSummary(b.worker.warm), b.worker.warm.runs, '–', '–'],
            ],
          },
        ],
      };
    },
  },
  {
    title: 'Bundles against the libraries they import (release build)',
    async run() {
      const rows = await measureBundles();
      return {
        note:
          "The worker is one classic script; the pages are ES modules split into chunks. A page's first load is its " +
          'entry and the chunks it imports statically (all fetched before its code runs), each file gzipped on its own ' +
          'and summed; the budget applies to it. "With lazy chunks" adds what the page may load later with import(). ' +
          "Each bundle's floor is built with build.mjs's esbuild options from an entry that imports only the library " +
          'exports the first load\'s sources import (read from those sources), and nothing else. "Own code" is the ' +
          'difference, gzipped (gzip sizes do not add exactly, so it is an estimate). Largest inputs: minified bytes ' +
          'each package or source file leaves in the first load (esbuild metafile).',
        tables: [
          {
            headers: [
              'bundle',
              'first load: files',
              'raw (KiB)',
              'gzip (KiB)',
              'with lazy chunks, gzip (KiB)',
              'floor gzip (KiB)',
              'own code gzip (KiB)',
              'budget',
              'within',
            ],
            rows: rows.map((row) => {
              const limits: { gzip?: number; ownGzip?: number } = BUNDLE_BUDGETS[row.bundle];
              const own = row.gzipBytes - row.floorGzipBytes;
              let limit = '–';
              let within = '–';
              if (limits.ownGzip !== undefined) {
                limit = `own code ≤ ${KiB(limits.ownGzip)} KiB`;
                within = budget(
                  `${row.bundle}: own code over its libraries, gzip`,
                  `${KiB(own)} KiB`,
                  `${KiB(limits.ownGzip)} KiB`,
                  own <= limits.ownGzip,
                );
              } else if (limits.gzip !== undefined) {
                limit = `≤ ${KiB(limits.gzip)} KiB`;
                within = budget(
                  `${row.bundle}, first load, gzip`,
                  `${KiB(row.gzipBytes)} KiB`,
                  `${KiB(limits.gzip)} KiB`,
                  row.gzipBytes <= limits.gzip,
                );
              }
              return [
                `\`${row.bundle}\``,
                row.files.map((file) => `\`${file}\``).join(' + '),
                KiB(row.rawBytes),
                KiB(row.gzipBytes),
                KiB(row.withLazyGzipBytes),
                KiB(row.floorGzipBytes),
                KiB(own),
                limit,
                within,
              ];
            }),
          },
          {
            headers: ['bundle', 'libraries in the floor (exports imported)', 'largest inputs (KiB minified)'],
            rows: rows.map((row) => [
              `\`${row.bundle}\``,
              row.libraries.join(', '),
              row.largest.map((input) => `${input.input} ${KiB(input.bytes)}`).join(', '),
            ]),
          },
        ],
      };
    },
  },
  {
    title: 'Credentials: Cognito Identity requests per start, against the AWS SDK (local stack)',
    async run() {
      const rows = await runPeerBench();
      return {
        note:
          "Counted at the stack's `/_stack/counters`. The extension runs its own worker modules with Node storage " +
          'areas. `fromCognitoIdentityPool` (@aws-sdk/credential-provider-cognito-identity) gets a new provider per ' +
          'start, as a stopped worker would; with `userIdentifier` it is given one in-memory storage kept across ' +
          'all starts, as if it persisted (the most favourable case for it).',
        tables: [
          {
            headers: ['start', 'extension', '`fromCognitoIdentityPool`', '… with `userIdentifier`', 'extension makes no more'],
            rows: rows.map((row) => [
              row.case,
              row.extension,
              row.sdk,
              row.sdkWithUserIdentifier,
              budget(
                `credentials requests, ${row.case}`,
                String(row.extension),
                `≤ ${Math.min(row.sdk, row.sdkWithUserIdentifier)}`,
                row.extension <= Math.min(row.sdk, row.sdkWithUserIdentifier),
              ),
            ]),
          },
        ],
      };
    },
  },
  {
    title: 'Cognito Sync side by side: the extension, amazon-cognito-js, the extension on DynamoDB',
    run: async () => ({ tables: [await cognitoSyncBenchTable()] }),
  },
  {
    title: 'Sync: requests and bytes at the stack, merge time',
    async run() {
      const { costs, merge } = await runSyncBench();
      return {
        tables: [
          {
            headers: ['case', 'requests', 'bytes sent', 'bytes received', 'requests by operation'],
            rows: costs.map((row) => [row.case, row.requests, row.bytesSent, row.bytesReceived, row.detail]),
          },
          {
            headers: [
              'merging 1,024 pulled records into an empty dataset',
              'median (min–max), ms',
              'runs',
              'median vs a JSON round trip of the same records',
            ],
            rows: merge.map((m) => [m.case, formatSummary(m.ms, 2), m.ms.runs, `${m.ratioToJsonRoundTrip.toFixed(2)}×`]),
          },
        ],
      };
    },
  },
];

export function markdown(table: Table): string {
  const line = (cells: Array<string | number>): string => `| ${cells.map(String).join(' | ')} |`;
  const align = table.headers.map((_, i) => (table.rows.every((row) => typeof row[i] === 'number') ? '---:' : '---'));
  return [line(table.headers), line(align), ...table.rows.map(line)].join('\n');
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const started = new Date();
const loadBefore = loadavg();
const sections: string[] = [];
const only = process.argv.slice(2).map((word) => word.toLowerCase());
const chosen = only.length === 0 ? PARTS : PARTS.filter((part) => only.some((word) => part.title.toLowerCase().includes(word)));
if (chosen.length === 0) {
  console.error(`bench: no part's title contains ${only.join(' or ')}; the parts are:\n${PARTS.map((part) => `  ${part.title}`).join('\n')}`);
  process.exit(2);
}
for (const part of chosen) {
  const { note, tables } = await part.run();
  const section = [`## ${part.title}`, ...(note ? [note] : []), ...tables.map(markdown)].join('\n\n');
  console.log(`\n${section}\n`);
  sections.push(section);
}
if (chosen !== PARTS) {
  console.log(`\nran ${chosen.length} of ${PARTS.length} parts; ${OUTPUT} is written only by a run of every part`);
  process.exit(0);
}
const loadAfter = loadavg();
const cpu = cpus();
const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
const header = [
  '# Performance',
  '',
  'Written by `npm run bench` (bench/run.ts); do not edit by hand. Each timing is the median of the runs it names,',
  'with the lowest and highest run in brackets. Timings move with the machine and its load (the load average below',
  'says how busy it was); request counts and bytes do not.',
  '',
  `- Date: ${started.toISOString()}`,
  `- Commit: ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (with uncommitted changes)' : ''}`,
  `- Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB, ${osType()} ${osRelease()}`,
  `- Load average (1 min) at start and end: ${loadBefore[0]?.toFixed(1)}, ${loadAfter[0]?.toFixed(1)}`,
  `- Node ${process.versions.node}; ${browserVersion.value}`,
  '',
  "What the pages do before their first paint. The popup's first frame reads only small items, from storage",
  "alone: the sign-in state the worker last wrote (storage.session, which the extension's own pages may read in",
  "Chrome and Firefox; content scripts may not), the open dataset's name, and that dataset's first screen: its",
  'first rows in display order, its count and sync state, written with the dataset in the same storage.local',
  "write (src/shared/first-screen.ts). With the identity and dataset the popup's last first frame showed (a hint",
  "in the page's own localStorage, src/popup/first-frame-hint.ts) these reads go out in one round. The page's",
  'language and direction are set by its script before the first render. Only the rows in view are rendered',
  '(src/ui/windowed-table.tsx). When that frame shows what storage held, nothing else starts before it is on screen',
  '(src/ui/after-first-paint.ts): not the question to the worker, which may start it and whose answer is the whole',
  'dataset, nor the chunk of the views that frame does not show. The options page fills its form from storage.local',
  "the same way and asks the worker after its first paint. The pages are ES modules, each page's chunks preloaded from its HTML; they",
  "use the browser's own promise-based API, without webextension-polyfill (the worker keeps it).",
  '',
  "Where the rest of the time goes: the static copy of each page's first frame (in the paint table) paints the",
  'same content with no script and no storage read. Its ratio to the floor is what that content costs to lay out',
  "and paint in this browser; a page's own ratio above it is what its script, its storage reads and its render",
  'add.',
  '',
  '## Budgets',
  '',
  markdown({ headers: ['figure', 'measured', 'budget', 'within'], rows: verdicts }),
];
writeFileSync(OUTPUT, `${[...header, '', ...sections.flatMap((section) => [section, ''])].join('\n').trimEnd()}\n`);
console.log(`\nwrote ${OUTPUT}`);
