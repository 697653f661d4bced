// `npm run bench`: every bench part, printed as markdown tables. A part is a title and a table;
// add one by appending to PARTS.
import { runBrowserBench } from './browser';
import { BUNDLE_BUDGETS, measureBundles } from './bundles';
import { cognitoSyncBenchTable } from './cognito-sync';
import { runSyncBench } from './sync';

export interface Table {
  headers: string[];
  rows: Array<Array<string | number>>;
}

export interface BenchPart {
  title: string;
  run(): Promise<Table[]>;
}

const PARTS: BenchPart[] = [
  { title: 'Cognito Sync side by side: the extension, amazon-cognito-js, the extension on DynamoDB', run: async () => [await cognitoSyncBenchTable()] },
  {
    title: 'Sync: requests and bytes at the stack, merge time',
    async run() {
      const { costs, merge } = await runSyncBench();
      return [
        {
          headers: ['case', 'requests', 'bytes sent', 'bytes received', 'requests by operation'],
          rows: costs.map((row) => [row.case, row.requests, row.bytesSent, row.bytesReceived, row.detail]),
        },
        {
          headers: ['merging 1,024 pulled records into an empty dataset', 'median (ms)', 'runs', 'vs JSON round trip of the same records'],
          rows: merge.map((m) => [m.case, m.medianMs.toFixed(2), m.runs, `${m.ratioToJsonRoundTrip.toFixed(1)}×`]),
        },
      ];
    },
  },
  {
    title: 'Popup and worker: first paint with 1,024 records, cold start (headless Chromium)',
    async run() {
      const { paint, start } = await runBrowserBench();
      const kb = (ms: number): string => ms.toFixed(1);
      return [
        {
          headers: ['measure', 'median (ms)', 'runs', 'budget (ms)'],
          rows: [
            [`popup first contentful paint, ${paint.records} records`, kb(paint.firstContentfulPaintMs), paint.runs, 200],
            [`popup shows the data (popup-ready mark), ${paint.records} records`, kb(paint.readyMs), paint.runs, 300],
            ['worker cold start to its first answer', kb(start.coldMs), start.runs, 250],
            ['the same answer from a running worker', kb(start.warmMs), start.runs, '–'],
          ],
        },
        {
          headers: ['cold start / warm answer'],
          rows: [[`${(start.coldMs / start.warmMs).toFixed(1)}×`]],
        },
      ];
    },
  },
  {
    title: 'Bundle sizes (release build)',
    async run() {
      const rows = measureBundles();
      return [
        {
          headers: ['bundle', 'raw (KiB)', 'gzip (KiB)', 'gzip budget (KiB)', 'within budget'],
          rows: rows.map((row) => [
            row.bundle,
            (row.rawBytes / 1024).toFixed(1),
            (row.gzipBytes / 1024).toFixed(1),
            (BUNDLE_BUDGETS[row.bundle] ?? 0) / 1024,
            row.gzipBytes <= row.budgetGzipBytes ? 'yes' : 'NO',
          ]),
        },
      ];
    },
  },
];

export function markdown(table: Table): string {
  const line = (cells: Array<string | number>): string => `| ${cells.map(String).join(' | ')} |`;
  const align = table.headers.map((_, i) => (table.rows.every((row) => typeof row[i] === 'number') ? '---:' : '---'));
  return [line(table.headers), line(align), ...table.rows.map(line)].join('\n');
}

for (const part of PARTS) {
  const tables = await part.run();
  console.log(`\n## ${part.title}\n`);
  for (const table of tables) console.log(`${markdown(table)}\n`);
}
