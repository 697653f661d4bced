// `npm run bench`: every bench part, printed as markdown tables. A part is a title and a table;
// add one by appending to PARTS.
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
