// Random sequences of tens of edits, syncs (alone and concurrent), worker restarts and faults on two or
// three devices of one user, against one stack, for every conflict strategy and both dataset services (DynamoDB, Cognito Sync). After a quiescent round of
// syncs every device holds the same records as the server, and no edit is lost unless the strategy let
// another supersede it:
// - no acknowledged edit is lost: an edit a successful sync of its device confirmed on the server stays,
//   unless an edit the strategy ranks above it came (supersedes() below says which, per strategy);
// - with "the later edit wins", each key ends at its latest edit, whichever device made it;
// - with "the server wins", an edit acknowledged by a successful sync stays unless edited again later;
// - whatever the strategy, a key only one device edited ends at that device's last edit;
// - the sync reports count every acknowledged edit as pushed, a push whose answer was lost included.
import { CognitoSyncClient, DeleteDatasetCommand } from '@aws-sdk/client-cognito-sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { CONFLICT_STRATEGIES, type ConflictStrategy, type SyncBackend } from '../../src/shared/settings';
import { createDevice, sharedClock, type Device } from '../support/sync-device';
import { signInAtStack, type StackIdentity } from '../support/stack-identity';

let stack: Stack;
let alice: StackIdentity;
let datasets = 0;

beforeAll(async () => {
  stack = await startStack({ port: 0, memory: true });
  alice = await signInAtStack(stack, 'alice');
});

afterAll(async () => {
  await stack?.close();
});

const KEYS = ['a', 'b', 'c'] as const;

/** Each backend, with the requests it makes and how its service says "slow down". */
const BACKENDS = [
  {
    backend: 'dynamodb',
    service: 'dynamodb',
    operations: ['GetItem', 'Query', 'TransactWriteItems'],
    throttle: 'ProvisionedThroughputExceededException',
    throttleStatus: 400,
  },
  {
    backend: 'cognitoSync',
    service: 'cognito-sync',
    operations: ['ListRecords', 'UpdateRecords'],
    throttle: 'TooManyRequestsException',
    throttleStatus: 429,
  },
] as const satisfies ReadonlyArray<{
  backend: SyncBackend;
  service: 'dynamodb' | 'cognito-sync';
  operations: readonly string[];
  throttle: string;
  throttleStatus: number;
}>;

type BackendCase = (typeof BACKENDS)[number];

type Op =
  | { kind: 'put'; device: number; key: string; value: string }
  | { kind: 'remove'; device: number; key: string }
  | { kind: 'sync'; device: number }
  | { kind: 'syncConcurrently' }
  | { kind: 'restart'; device: number }
  | { kind: 'stopAfterPush'; device: number }
  | { kind: 'fault'; fault: 'throttle' | 'status500' | 'drop'; operation: string; count: number };

function opArbitrary(devices: number, operations: readonly string[]): fc.Arbitrary<Op> {
  const device = fc.integer({ min: 0, max: devices - 1 });
  const key = fc.constantFrom(...KEYS);
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('put' as const), device, key, value: fc.string({ maxLength: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), device, key }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('sync' as const), device }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'syncConcurrently' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), device }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('stopAfterPush' as const), device }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('fault' as const),
        fault: fc.constantFrom('throttle' as const, 'status500' as const, 'drop' as const),
        operation: fc.constantFrom(...operations),
        count: fc.integer({ min: 1, max: 5 }),
      }),
    },
  );
}

/** Long enough for several rounds of edit, conflict and fault per key (three keys) on every device. */
const MIN_OPS = 20;
const MAX_OPS = 50;

const scenario = (strategy: ConflictStrategy, operations: readonly string[]) =>
  fc.integer({ min: 2, max: 3 }).chain((devices) =>
    fc.record({
      devices: fc.constant(devices),
      strategy: fc.constant(strategy),
      ops: fc.array(opArbitrary(devices, operations), { minLength: MIN_OPS, maxLength: MAX_OPS }),
    }),
  );

interface Edit {
  /** The device's slot: a restarted device keeps its storage, so its slot. */
  slot: number;
  key: string;
  value: string | null;
  modifiedAt: number;
  /** Position in the sequence. */
  at: number;
  /** A later successful sync of its device found it on the server and not pending. */
  acknowledged: boolean;
  /** The position of the first such sync. */
  acknowledgedAt?: number;
}

/**
 * Whether `later` may legitimately replace the acknowledged edit `e` of the same key:
 * - the later edit wins: an edit made later (the clock is shared);
 * - the server wins: an edit made later in the sequence (an earlier pending edit meets `e` on the server, and loses);
 * - this browser wins: an edit made later, or another device's edit that was still unacknowledged when `e`
 *   was acknowledged (it was pending there, and that device's own edit wins when it syncs).
 */
function supersedes(later: Edit, e: Edit, strategy: ConflictStrategy): boolean {
  if (later === e || later.key !== e.key) return false;
  switch (strategy) {
    case 'lastWriterWins':
      return later.modifiedAt > e.modifiedAt;
    case 'serverWins':
      return later.at > e.at;
    case 'deviceWins':
      return (
        later.at > e.at ||
        (later.slot !== e.slot && !(later.acknowledgedAt !== undefined && later.acknowledgedAt < (e.acknowledgedAt ?? Number.POSITIVE_INFINITY)))
      );
  }
}

async function run(
  { backend, service, throttle, throttleStatus }: BackendCase,
  { devices: count, strategy, ops }: { devices: number; strategy: ConflictStrategy; ops: Op[] },
): Promise<void> {
  stack.clearFaults();
  const dataset = `Property.${++datasets}`;
  // Cognito Sync holds at most 20 datasets per identity: each run's is deleted when it ends, passed or failed.
  if (backend === 'cognitoSync') onTestFinishedDelete(dataset);
  const now = sharedClock();
  const devices: Device[] = [];
  for (let i = 0; i < count; i += 1) devices.push(await createDevice(stack, { identity: alice, dataset, strategy, now, backend }));
  const device = (i: number): Device => devices[i] ?? fail(`no device ${i}`);
  const edits: Edit[] = [];
  /** Successful syncs whose report counted fewer pushes than it made. */
  const underCounted: Array<{ at: number; slot: number; reported: number; pushed: number }> = [];
  let position = 0;

  /** A put or remove, and the edit it made, if it changed anything (the same value again does not). */
  const edit = async (slot: number, key: string, value: string | null, at: number): Promise<void> => {
    const d = device(slot);
    const before = (await d.stored())?.records.find((r) => r.key === key)?.modifiedAt;
    if (value === null) await d.service.remove(key);
    else await d.service.put(key, value);
    const after = (await d.stored())?.records.find((r) => r.key === key)?.modifiedAt;
    if (after !== undefined && after !== before) edits.push({ slot, key, value, modifiedAt: after, at, acknowledged: false });
  };

  /** After a successful sync: the device's last edit of each key, if the server now has it here. Returns those newly acknowledged. */
  const acknowledge = async (slot: number): Promise<Edit[]> => {
    const records = (await device(slot).stored())?.records ?? [];
    const acknowledged: Edit[] = [];
    for (const key of KEYS) {
      const last = edits.findLast((e) => e.slot === slot && e.key === key);
      const record = records.find((r) => r.key === key);
      if (last && record && !record.pending && record.modifiedAt === last.modifiedAt && !last.acknowledged) {
        last.acknowledged = true;
        last.acknowledgedAt = position;
        acknowledged.push(last);
      }
    }
    return acknowledged;
  };

  /**
   * A sync that must succeed, and what its report said: every edit pending when it started and
   * acknowledged when it ended was pushed by it, or found on the server by it (a push whose answer was
   * lost): its report counts it. (A sync that fails has no report: what it did is not counted anywhere.)
   */
  const counted = async (slot: number): Promise<void> => {
    const pendingBefore = new Set(((await device(slot).stored())?.records ?? []).filter((r) => r.pending).map((r) => `${r.key}@${r.modifiedAt}`));
    const report = await device(slot).service.sync();
    const pushedHere = (await acknowledge(slot)).filter((e) => pendingBefore.has(`${e.key}@${e.modifiedAt}`)).length;
    if (report.pushed < pushedHere) underCounted.push({ at: position, slot, reported: report.pushed, pushed: pushedHere });
  };

  const sync = (slot: number): Promise<void> => counted(slot).catch(() => undefined);

  for (const [at, op] of ops.entries()) {
    position = at;
    switch (op.kind) {
      case 'put':
        await edit(op.device, op.key, op.value, at);
        break;
      case 'remove':
        await edit(op.device, op.key, null, at);
        break;
      case 'sync':
        await sync(op.device);
        break;
      case 'syncConcurrently':
        await Promise.all(devices.map((_, slot) => sync(slot)));
        break;
      case 'restart':
        // A new worker over the same storage.local: nothing but storage carries over.
        devices[op.device] = await createDevice(stack, { identity: alice, area: device(op.device).area, now });
        break;
      case 'stopAfterPush':
        device(op.device).stopAfterNextPush();
        await sync(op.device);
        device(op.device).stopAfterNextPush(false);
        break;
      case 'fault':
        stack.addFault(
          op.fault === 'throttle'
            ? { service, operation: op.operation, kind: 'error', errorType: throttle, status: throttleStatus, count: op.count }
            : op.fault === 'status500'
              ? { service, operation: op.operation, kind: 'status', status: 500, count: op.count }
              : { service, operation: op.operation, kind: 'drop', count: op.count },
        );
        break;
    }
  }

  // Quiescence: the faults end, and every device syncs twice in turn (the first round pushes what is
  // pending and resolves conflicts, the second brings every device everything).
  stack.clearFaults();
  position = ops.length;
  for (let round = 0; round < 2; round += 1) for (const [slot] of devices.entries()) await counted(slot);

  const server = await createDevice(stack, { identity: alice, dataset, strategy, now, backend });
  await server.service.sync();
  const remote = await server.values();
  for (const d of devices) {
    expect(await d.values()).toEqual(remote);
    expect((await d.service.open()).pendingCount).toBe(0);
  }

  // Every value held was written by some edit of that key.
  for (const [key, value] of Object.entries(remote)) {
    expect(edits.some((e) => e.key === key && e.value === value)).toBe(true);
  }
  const final = (key: string): string | null => remote[key] ?? null;
  for (const key of KEYS) {
    const ofKey = edits.filter((e) => e.key === key);
    const last = ofKey.at(-1);
    if (last && ofKey.every((e) => e.slot === last.slot)) expect({ key, value: final(key) }).toEqual({ key, value: last.value });
  }
  if (strategy === 'serverWins') {
    for (const e of edits) {
      const editedLater = edits.some((other) => other.key === e.key && other.at > e.at);
      if (e.acknowledged && !editedLater) expect({ key: e.key, value: final(e.key) }).toEqual({ key: e.key, value: e.value });
    }
  }
  // No acknowledged edit lost.
  for (const e of edits) {
    if (e.acknowledged && !edits.some((other) => supersedes(other, e, strategy))) {
      expect({ key: e.key, value: final(e.key), acknowledgedAt: e.acknowledgedAt }).toEqual({
        key: e.key,
        value: e.value,
        acknowledgedAt: e.acknowledgedAt,
      });
    }
  }
  expect(underCounted).toEqual([]);
  if (strategy === 'lastWriterWins') {
    // The clock is shared, so each key ends at its latest edit, whichever device made it.
    const latest = new Map<string, Edit>();
    for (const e of edits) if ((latest.get(e.key)?.modifiedAt ?? -1) < e.modifiedAt) latest.set(e.key, e);
    const expected = Object.fromEntries([...latest.values()].flatMap((e) => (e.value === null ? [] : [[e.key, e.value] as const])));
    expect(remote).toEqual(expected);
  }
}

function fail(message: string): never {
  throw new Error(message);
}

const toDelete: string[] = [];
function onTestFinishedDelete(dataset: string): void {
  toDelete.push(dataset);
}

async function deleteCognitoSyncDatasets(): Promise<void> {
  const client = new CognitoSyncClient({ region: alice.region, endpoint: stack.config.endpoints.cognitoSync, credentials: alice.credentials });
  try {
    for (const DatasetName of toDelete.splice(0)) {
      // A run without edits never created its dataset.
      await client
        .send(new DeleteDatasetCommand({ IdentityPoolId: stack.config.identityPoolId, IdentityId: alice.identityId, DatasetName }))
        .catch((error: unknown) => {
          if (!(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
        });
    }
  } finally {
    client.destroy();
  }
}

/** Scenarios per (backend, strategy): with 20–50 operations each, about 1,000 operations per case. */
const RUNS_PER_CASE = 30;

const CASES = BACKENDS.flatMap((backendCase) =>
  CONFLICT_STRATEGIES.map((strategy) => ({ backendCase, strategy, name: `${backendCase.backend}, ${strategy}` })),
);

describe.each(CASES)('sync under random edits, syncs and faults ($name)', ({ backendCase, strategy }) => {
  it('converges, and loses no acknowledged edit not superseded by another', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario(strategy, backendCase.operations), async (generated) => {
        try {
          await run(backendCase, generated);
        } finally {
          await deleteCognitoSyncDatasets();
        }
      }),
      { numRuns: RUNS_PER_CASE },
    );
  });
});
