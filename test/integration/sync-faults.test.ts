// Faults injected through the stack's admin endpoint (throttling, a 500, a dropped connection) and a
// worker stopped between the push and the local commit. Each ends, after recovery, with both devices
// equal, every edit present, and the server's sync count showing each push applied once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Fault, type Stack } from '../../stack/index';
import type { AppError } from '../../src/shared/errors';
import { createDevice, dynamoRequests, sharedClock, expectConverged as convergedAt, type Device, type DeviceOptions } from '../support/sync-device';
import { signInAtStack, type StackIdentity } from '../support/stack-identity';
import { transactionGate } from '../support/transaction-gate';

let stack: Stack;
let alice: StackIdentity;
let datasets = 0;

beforeAll(async () => {
  stack = await startStack({ port: 0, memory: true });
  alice = await signInAtStack(stack, 'alice');
});

afterEach(async () => {
  await fetch(`${stack.url}/_stack/faults`, { method: 'DELETE' });
});

afterAll(async () => {
  await stack?.close();
});

/** Through the admin endpoint, as a test of a running stack (npm run stack) would. */
async function addFault(fault: Fault): Promise<void> {
  const response = await fetch(`${stack.url}/_stack/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBe(201);
}

async function pair(options: Partial<DeviceOptions> = {}): Promise<[Device, Device]> {
  const shared = { identity: alice, dataset: `Faults.${++datasets}`, now: sharedClock(), ...options };
  return [await createDevice(stack, shared), await createDevice(stack, shared)];
}

async function failure(promise: Promise<unknown>): Promise<AppError | Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected a failure');
}

/** Both devices synced to the end, then equal to each other and to what a third, fresh device pulls. */
const expectConverged = (a: Device, b: Device, expected: Record<string, string>, syncCount: number): Promise<void> =>
  convergedAt(stack, alice, [a, b], expected, syncCount);

describe('transient faults are retried within one sync', () => {
  it('throttled transactions (ProvisionedThroughputExceededException)', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await addFault({
      service: 'dynamodb',
      operation: 'TransactWriteItems',
      kind: 'error',
      errorType: 'ProvisionedThroughputExceededException',
      count: 2,
    });
    stack.resetCounters();
    expect(await a.service.sync()).toMatchObject({ pushed: 1, syncCount: 1 });
    expect(dynamoRequests(stack)).toEqual({ GetItem: 1, TransactWriteItems: 3 });
    await expectConverged(a, b, { k: 'v' }, 1);
  });

  it('throttled reads (ThrottlingException)', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await a.service.sync();
    await addFault({ service: 'dynamodb', operation: 'GetItem', kind: 'error', errorType: 'ThrottlingException', count: 2 });
    expect(await b.service.sync()).toMatchObject({ pulled: 1 });
    await expectConverged(a, b, { k: 'v' }, 1);
  });

  it('a 500 from the service', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await a.service.sync();
    await addFault({ service: 'dynamodb', operation: 'Query', kind: 'status', status: 500 });
    stack.resetCounters();
    expect(await b.service.sync()).toMatchObject({ pulled: 1 });
    expect(dynamoRequests(stack)).toEqual({ GetItem: 1, Query: 2 });
    await expectConverged(a, b, { k: 'v' }, 1);
  });

  it('a dropped connection during the push', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await addFault({ service: 'dynamodb', operation: 'TransactWriteItems', kind: 'drop' });
    stack.resetCounters();
    expect(await a.service.sync()).toMatchObject({ pushed: 1, syncCount: 1 });
    expect(dynamoRequests(stack)).toEqual({ GetItem: 1, TransactWriteItems: 2 });
    await expectConverged(a, b, { k: 'v' }, 1);
  });

  it('a dropped connection during the pull', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await a.service.sync();
    await addFault({ service: 'dynamodb', operation: 'GetItem', kind: 'drop' });
    expect(await b.service.sync()).toMatchObject({ pulled: 1 });
    await expectConverged(a, b, { k: 'v' }, 1);
  });
});

describe('faults that outlast the retries fail the sync and lose nothing', () => {
  it('throttling that does not stop: THROTTLED, then a later sync succeeds', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await addFault({ service: 'dynamodb', operation: 'TransactWriteItems', kind: 'error', errorType: 'ThrottlingException', count: 50 });
    stack.resetCounters();
    const error = await failure(a.service.sync());
    expect(error).toMatchObject({ code: 'THROTTLED' });
    expect(dynamoRequests(stack)).toEqual({ GetItem: 1, TransactWriteItems: 4 });
    const view = await a.service.open();
    expect(view).toMatchObject({ pendingCount: 1, lastError: { code: 'THROTTLED' } });
    await fetch(`${stack.url}/_stack/faults`, { method: 'DELETE' });
    await expectConverged(a, b, { k: 'v' }, 1);
  });

  it('a service that keeps answering 500: NETWORK, then a later sync succeeds', async () => {
    const [a, b] = await pair();
    await a.service.put('x', '1');
    await b.service.put('y', '2');
    await addFault({ service: 'dynamodb', kind: 'status', status: 503, count: 50 });
    expect(await failure(a.service.sync())).toMatchObject({ code: 'NETWORK' });
    expect(await failure(b.service.sync())).toMatchObject({ code: 'NETWORK' });
    await fetch(`${stack.url}/_stack/faults`, { method: 'DELETE' });
    await expectConverged(a, b, { x: '1', y: '2' }, 2);
  });

  it('a connection dropped every time: NETWORK, then a later sync succeeds', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await addFault({ service: 'dynamodb', kind: 'drop', count: 50 });
    expect(await failure(a.service.sync())).toMatchObject({ code: 'NETWORK' });
    await fetch(`${stack.url}/_stack/faults`, { method: 'DELETE' });
    await expectConverged(a, b, { k: 'v' }, 1);
  });
});

describe('a host whose access the person turned off in the browser', () => {
  it('fails the sync as that, not as the connection, keeps the edit, and syncs once access is back', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    let granted = false;
    a.ctx.permissions = { remove: async () => true, contains: async () => granted };
    // The browser refuses the request as it refuses one without a connection.
    await addFault({ service: 'dynamodb', kind: 'drop', count: 50 });
    expect(await failure(a.service.sync())).toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('press Save') });
    expect(await a.service.open()).toMatchObject({ pendingCount: 1, lastError: { code: 'PERMISSION_DENIED' } });
    await fetch(`${stack.url}/_stack/faults`, { method: 'DELETE' });
    granted = true;
    await expectConverged(a, b, { k: 'v' }, 1);
  });
});

describe('a worker stopped between the push and the local commit', () => {
  it('repeats the sync without a conflict and without applying the push twice', async () => {
    const [a, b] = await pair({ strategy: 'serverWins' });
    await a.service.put('k', 'v');
    await a.service.put('other', 'w');
    a.stopAfterNextPush();
    await expect(a.service.sync()).rejects.toThrow('the worker stopped');
    expect((await a.service.open()).pendingCount).toBe(2);
    stack.resetCounters();
    const report = await a.service.sync();
    // Both landed before the stop: the report counts them (found on the server), and nothing is sent again.
    expect(report).toMatchObject({ pushed: 2, conflicts: [], syncCount: 1 });
    expect(dynamoRequests(stack)).toEqual({ GetItem: 1, Query: 1 });
    await expectConverged(a, b, { k: 'v', other: 'w' }, 1);
  });

  it('keeps an edit made before the repeat, even when the server wins conflicts', async () => {
    const [a, b] = await pair({ strategy: 'serverWins' });
    await a.service.put('k', 'pushed');
    a.stopAfterNextPush();
    await expect(a.service.sync()).rejects.toThrow('the worker stopped');
    await a.service.put('k', 'edited after');
    const report = await a.service.sync();
    expect(report).toMatchObject({ pushed: 1, conflicts: [], syncCount: 2 });
    await expectConverged(a, b, { k: 'edited after' }, 2);
  });

  it('acknowledges its own push after another device committed on top of it', async () => {
    const [a, b] = await pair();
    await a.service.put('mine', 'a');
    a.stopAfterNextPush();
    await expect(a.service.sync()).rejects.toThrow('the worker stopped');
    await b.service.put('theirs', 'b');
    await b.service.sync();
    const report = await a.service.sync();
    expect(report).toMatchObject({ pushed: 1, conflicts: [], syncCount: 2 });
    await expectConverged(a, b, { mine: 'a', theirs: 'b' }, 2);
  });

  it('stopped after the second of several commits: the rest follow, nothing twice', async () => {
    const [a, b] = await pair();
    for (let i = 0; i < 120; i += 1) await a.service.put(`k${String(i).padStart(3, '0')}`, String(i));
    a.stopAfterNextPush(); // after the first transaction of two
    await expect(a.service.sync()).rejects.toThrow('the worker stopped');
    // 99 landed before the stop (found on the server), 21 pushed now: 120 in all, none sent twice.
    expect(await a.service.sync()).toMatchObject({ pushed: 120, syncCount: 2 });
    const expected = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`k${String(i).padStart(3, '0')}`, String(i)]));
    await expectConverged(a, b, expected, 2);
  });
});

describe('two browsers pushing at the same moment', () => {
  let held: Stack;
  let person: StackIdentity;
  /** A's transaction waits here, holding the dataset's head, until B's push has met it. */
  const gate = transactionGate();
  beforeAll(async () => {
    held = await startStack({ port: 0, memory: true, holdTransaction: gate.hold });
    person = await signInAtStack(held, 'alice');
  });
  afterAll(async () => {
    gate.release();
    await held?.close();
  });

  it('the push DynamoDB cancels as a TransactionConflict is tried again after the other lands, and keeps both edits', async () => {
    const shared = { identity: person, dataset: 'Overlap', now: sharedClock() };
    const a = await createDevice(held, shared);
    let aSynced: Promise<unknown> = Promise.resolve();
    const waits: number[] = [];
    // B's backoff lets A's transaction commit and waits for A's sync to end: its retry comes after A's commit.
    const b = await createDevice(held, {
      ...shared,
      sleep: async (ms) => {
        waits.push(ms);
        gate.release();
        await aSynced;
      },
    });
    await a.service.put('from-a', '1');
    await b.service.put('from-b', '2');
    held.resetCounters();
    gate.close();
    aSynced = a.service.sync();
    // B reads the head while A's transaction holds it, then pushes from the same count: a conflict.
    await expect.poll(() => gate.waiting, { interval: 5 }).toBe(1);
    const report = await b.service.sync();
    expect(waits).toHaveLength(1);
    expect(report).toMatchObject({ pushed: 1, pulled: 1, conflicts: [] });
    expect(await aSynced).toMatchObject({ pushed: 1 });
    // A's push, B's cancelled one, B's retry (whose head condition then fails: A had committed), B's push after its pull.
    expect(dynamoRequests(held)['TransactWriteItems']).toBe(4);
    expect((await b.service.open()).lastError).toBeUndefined();
    await convergedAt(held, person, [a, b], { 'from-a': '1', 'from-b': '2' }, 2);
  });
});
