// Bench part: the same work, side by side in one run on the stack: the extension on Cognito Sync,
// amazon-cognito-js (Amazon's own Cognito Sync client, the seed's app) on the same service, and the
// extension on its DynamoDB table. Requests and body bytes at the dataset service, from the stack's counters.
import { startStack, type Stack } from '../stack/index';
import { openCognitoSyncApp, type CognitoSyncApp } from '../test/support/cognito-sync-app';
import { createDevice, sharedClock, type Device } from '../test/support/sync-device';
import { signInAtStack } from '../test/support/stack-identity';

export const CASES = ['sync with nothing changed', 'sync with one local edit', 'sync after one remote edit', 'first download'] as const;
type Case = (typeof CASES)[number];

const RECORDS = 1024;
const VALUE = 'v'.repeat(100);
const keyOf = (i: number): string => `key-${String(i).padStart(4, '0')}`;

interface Cost {
  requests: number;
  bytesSent: number;
  bytesReceived: number;
}

/** One client's way of doing each case: `writer` edits on another device, `reader` syncs. */
interface Contender {
  name: string;
  service: 'cognito-sync' | 'dynamodb';
  fill(): Promise<void>;
  sync(): Promise<void>;
  editHere(key: string, value: string): Promise<void>;
  editElsewhere(key: string, value: string): Promise<void>;
  /** A new device of the same person, synced once: the first download. */
  freshDownload(): Promise<void>;
}

async function cost(stack: Stack, service: string, action: () => Promise<void>): Promise<Cost> {
  stack.resetCounters();
  await action();
  const total: Cost = { requests: 0, bytesSent: 0, bytesReceived: 0 };
  for (const [name, counter] of Object.entries(stack.counters())) {
    if (!name.startsWith(`${service}.`)) continue;
    total.requests += counter.requests;
    total.bytesSent += counter.bytesIn;
    total.bytesReceived += counter.bytesOut;
  }
  return total;
}

function extension(stack: Stack, identity: Awaited<ReturnType<typeof signInAtStack>>, backend: 'cognitoSync' | 'dynamodb'): Contender {
  const options = { identity, dataset: `Bench.${backend}`, now: sharedClock(), backend };
  let here: Device | undefined;
  let there: Device | undefined;
  const device = async (which: 'here' | 'there'): Promise<Device> => {
    if (which === 'here') {
      here ??= await createDevice(stack, options);
      return here;
    }
    there ??= await createDevice(stack, options);
    return there;
  };
  return {
    name: backend === 'cognitoSync' ? 'extension, Cognito Sync' : 'extension, DynamoDB',
    service: backend === 'cognitoSync' ? 'cognito-sync' : 'dynamodb',
    async fill() {
      const d = await device('there');
      for (let i = 0; i < RECORDS; i += 1) await d.service.put(keyOf(i), VALUE);
      await d.service.sync();
      await (await device('here')).service.sync();
    },
    sync: async () => void (await (await device('here')).service.sync()),
    editHere: async (key, value) => void (await (await device('here')).service.put(key, value)),
    async editElsewhere(key, value) {
      const d = await device('there');
      await d.service.put(key, value);
      await d.service.sync();
    },
    freshDownload: async () => void (await (await createDevice(stack, options)).service.sync()),
  };
}

function app(stack: Stack): Contender {
  const dataset = 'Bench.app';
  let here: CognitoSyncApp | undefined;
  let there: CognitoSyncApp | undefined;
  const open = async (which: 'here' | 'there'): Promise<CognitoSyncApp> => {
    if (which === 'here') {
      here ??= await openCognitoSyncApp(stack, 'alice', dataset);
      return here;
    }
    there ??= await openCognitoSyncApp(stack, 'alice', dataset);
    return there;
  };
  return {
    name: 'amazon-cognito-js',
    service: 'cognito-sync',
    async fill() {
      const a = await open('there');
      await open('here');
      for (let i = 0; i < RECORDS; i += 1) await a.put(keyOf(i), VALUE);
      await a.synchronize();
      await (await open('here')).synchronize();
    },
    sync: async () => void (await (await open('here')).synchronize()),
    editHere: async (key, value) => (await open('here')).put(key, value),
    async editElsewhere(key, value) {
      const a = await open('there');
      await a.put(key, value);
      await a.synchronize();
    },
    // Its sign-in goes to Cognito Identity and the provider, which the dataset service's counters leave out.
    freshDownload: async () => void (await (await openCognitoSyncApp(stack, 'alice', dataset)).synchronize()),
  };
}

export interface SideBySideRow {
  case: Case;
  contender: string;
  cost: Cost;
}

/** Every case for every contender, on one stack, over a 1,024-record dataset. */
export async function measureSideBySide(): Promise<SideBySideRow[]> {
  const stack = await startStack({ port: 0, memory: true });
  try {
    const identity = await signInAtStack(stack, 'alice');
    const contenders = [extension(stack, identity, 'cognitoSync'), app(stack), extension(stack, identity, 'dynamodb')];
    const rows: SideBySideRow[] = [];
    for (const c of contenders) {
      await c.fill();
      const run = (label: Case, action: () => Promise<void>) =>
        cost(stack, c.service, action).then((measured) => rows.push({ case: label, contender: c.name, cost: measured }));
      await run('sync with nothing changed', () => c.sync());
      await c.editHere(keyOf(7), 'changed here');
      await run('sync with one local edit', () => c.sync());
      await c.editElsewhere(keyOf(9), 'changed elsewhere');
      await run('sync after one remote edit', () => c.sync());
      await run('first download', () => c.freshDownload());
    }
    return rows;
  } finally {
    await stack.close();
  }
}

/** The bench table: one line per case, the three contenders side by side (requests, bytes sent / received). */
export async function cognitoSyncBenchTable(): Promise<{ headers: string[]; rows: Array<Array<string | number>> }> {
  const rows = await measureSideBySide();
  const names = [...new Set(rows.map((row) => row.contender))];
  const cell = (c: Cost): string => `${c.requests} req, ${c.bytesSent} B / ${c.bytesReceived} B`;
  return {
    headers: ['case (1,024-record dataset)', ...names],
    rows: CASES.map((label) => [
      label,
      ...names.map((name) => {
        const found = rows.find((row) => row.case === label && row.contender === name);
        return found ? cell(found.cost) : '–';
      }),
    ]),
  };
}
