// Bench part one: what a sync costs at the server (requests and bytes, from the stack's counters) and
// how long merging 1,024 pulled records takes here.
import { startStack, type Stack } from '../stack/index';
import { createLocalStore } from '../src/background/sync/local-store';
import { inProcessLocks } from '../src/background/platform/locks';
import { mergePulled } from '../src/background/sync/merge';
import type { RemoteRecord } from '../src/background/sync/remote';
import { EMPTY_DATASET, parseStoredDataset, type StoredDataset } from '../src/shared/dataset';
import { StorageItem, createMemoryArea } from '../src/shared/storage-item';
import { createDevice, sharedClock } from '../test/support/sync-device';
import { signInAtStack } from '../test/support/stack-identity';
import { summarize, type Summary } from './stats';

export interface SyncCostRow {
  case: string;
  /** DynamoDB requests the stack served. */
  requests: number;
  /** Request bodies, client → server. */
  bytesSent: number;
  /** Response bodies, server → client. */
  bytesReceived: number;
  /** Requests by operation. */
  detail: string;
}

export interface MergeTiming {
  case: string;
  records: number;
  ms: Summary;
  /** The merge's median against JSON.stringify + JSON.parse of the same records: steadier across machines than ms. */
  ratioToJsonRoundTrip: number;
}

export interface SyncBench {
  costs: SyncCostRow[];
  merge: MergeTiming[];
}

export const DATASET_RECORDS = 1024;
const VALUE = 'v'.repeat(100);

function keyOf(i: number): string {
  return `key-${String(i).padStart(4, '0')}`;
}

function measure(stack: Stack, label: string, counters: ReturnType<Stack['counters']>): SyncCostRow {
  const row: SyncCostRow = { case: label, requests: 0, bytesSent: 0, bytesReceived: 0, detail: '' };
  const parts: string[] = [];
  for (const [name, counter] of Object.entries(counters)) {
    if (!name.startsWith('dynamodb.') || counter.requests === 0) continue;
    row.requests += counter.requests;
    row.bytesSent += counter.bytesIn;
    row.bytesReceived += counter.bytesOut;
    parts.push(`${name.slice('dynamodb.'.length)} ×${counter.requests}`);
  }
  row.detail = parts.join(', ');
  void stack;
  return row;
}

async function at(stack: Stack, label: string, action: () => Promise<unknown>): Promise<SyncCostRow> {
  stack.resetCounters();
  await action();
  return measure(stack, label, stack.counters());
}

export async function measureSyncCosts(): Promise<SyncCostRow[]> {
  const stack = await startStack({ port: 0, memory: true });
  try {
    const identity = await signInAtStack(stack, 'alice');
    const options = { identity, dataset: 'Bench', now: sharedClock() };
    const a = await createDevice(stack, options);
    const b = await createDevice(stack, options);
    for (let i = 0; i < DATASET_RECORDS; i += 1) await a.service.put(keyOf(i), VALUE);

    const rows: SyncCostRow[] = [];
    rows.push(await at(stack, `first upload of ${DATASET_RECORDS} records`, () => a.service.sync()));
    rows.push(await at(stack, `first download of ${DATASET_RECORDS} records (another device)`, () => b.service.sync()));
    rows.push(await at(stack, 'sync with nothing changed', () => a.service.sync()));
    await a.service.put(keyOf(7), 'changed');
    rows.push(await at(stack, 'sync with one local edit', () => a.service.sync()));
    rows.push(await at(stack, `pull after one remote edit (${DATASET_RECORDS}-record dataset)`, () => b.service.sync()));
    if ((await b.service.get(keyOf(7)))?.value !== 'changed') throw new Error('the bench pull did not bring the edit');
    return rows;
  } finally {
    await stack.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function time(action: () => void): number {
  const start = performance.now();
  action();
  return performance.now() - start;
}

function pulledRecords(): RemoteRecord[] {
  return Array.from({ length: DATASET_RECORDS }, (_, i) => ({
    key: keyOf(i),
    value: VALUE,
    syncCount: 1 + Math.floor(i / 99),
    deviceModified: 1_700_000_000_000 + i,
    deviceId: '00000000-0000-4000-8000-000000000001',
  }));
}

const MERGE_OPTIONS = { deviceId: '00000000-0000-4000-8000-000000000002', strategy: 'lastWriterWins' } as const;

function jsonRoundTripMs(pulled: RemoteRecord[], runs: number): number {
  let sink = 0;
  const ms = median(Array.from({ length: runs }, () => time(() => (sink += (JSON.parse(JSON.stringify(pulled)) as unknown[]).length))));
  return sink < 0 ? Number.NaN : ms;
}

/** Merging a pull of 1,024 records into an empty local dataset: the engine's in-memory work. */
export async function measureMerge(runs = 21): Promise<MergeTiming[]> {
  const pulled = pulledRecords();
  const json = jsonRoundTripMs(pulled, runs);
  let sink = 0;
  for (let i = 0; i < 3; i += 1) sink += mergePulled(EMPTY_DATASET, pulled, 11, MERGE_OPTIONS).pulled; // warm up
  const inMemory = summarize(Array.from({ length: runs }, () => time(() => (sink += mergePulled(EMPTY_DATASET, pulled, 11, MERGE_OPTIONS).pulled))));

  // The same through the local store: read, merge, write (a structured clone each way, as storage does).
  const durations: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const store = createLocalStore(new StorageItem<StoredDataset>(createMemoryArea(), 'dataset/bench/Bench', parseStoredDataset), inProcessLocks());
    const start = performance.now();
    await store.update((current) => mergePulled(current, pulled, 11, MERGE_OPTIONS).dataset);
    durations.push(performance.now() - start);
  }
  if (sink < 0) throw new Error('unreachable');
  const row = (label: string, ms: Summary): MergeTiming => ({
    case: label,
    records: DATASET_RECORDS,
    ms,
    ratioToJsonRoundTrip: json > 0 ? ms.median / json : Number.NaN,
  });
  return [row('merge in memory', inMemory), row('merge through the local store (read, merge, write)', summarize(durations))];
}

export async function runSyncBench(): Promise<SyncBench> {
  return { costs: await measureSyncCosts(), merge: await measureMerge() };
}
