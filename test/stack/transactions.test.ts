// TransactWriteItems, which the gateway adds to dynalite: all or nothing, with AWS's cancellation reasons.
import { DeleteItemCommand, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WIDE_ACTIONS } from '../../stack/dynamodb/policy';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';
import { transactionGate } from '../support/transaction-gate';
import { awsSession, dynamoClient } from './support/aws-clients';
import { signIn } from './support/oidc-client';

const TableName = 'ExtensionDatasets';
let stack: Stack;
let me: string;
let db: DynamoDBClient;

beforeAll(async () => {
  // A wider role than the deployed one: these tests cover operations the extension never sends.
  stack = await startStack({ port: 0, allowedActions: [...WIDE_ACTIONS] });
  const session = await awsSession(stack, (await signIn(stack, 'alice')).idToken);
  me = session.identityId;
  db = dynamoClient(stack, session.credentials);
});

afterAll(async () => {
  await stack.close();
});

const key = (sk: string) => ({ pk: { S: me }, sk: { S: sk } });

async function read(sk: string) {
  return (await db.send(new GetItemCommand({ TableName, Key: key(sk), ConsistentRead: true }))).Item;
}

/** The data model's push: bump the dataset head from `expected` and write records, in one transaction. */
function push(dataset: string, expected: number | undefined, records: Record<string, string>): TransactWriteItem[] {
  const next = (expected ?? 0) + 1;
  const head: TransactWriteItem = {
    Put: {
      TableName,
      Item: { ...key(dataset), syncCount: { N: String(next) } },
      ConditionExpression: expected === undefined ? 'attribute_not_exists(pk)' : 'syncCount = :expected',
      ...(expected === undefined ? {} : { ExpressionAttributeValues: { ':expected': { N: String(expected) } } }),
    },
  };
  const puts = Object.entries(records).map(
    ([name, value]): TransactWriteItem => ({
      Put: { TableName, Item: { ...key(`${dataset}/${name}`), value: { S: value }, syncCount: { N: String(next) } } },
    }),
  );
  return [head, ...puts];
}

async function canceled(items: TransactWriteItem[]): Promise<TransactionCanceledException> {
  try {
    await db.send(new TransactWriteItemsCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) return error;
    throw error;
  }
  throw new Error('the transaction committed');
}

describe('TransactWriteItems', () => {
  it('applies every write when every condition holds', async () => {
    await db.send(new TransactWriteItemsCommand({ TransactItems: push('ok', undefined, { a: '1', b: '2' }) }));
    expect((await read('ok'))?.['syncCount']).toEqual({ N: '1' });
    expect((await read('ok/a'))?.['value']).toEqual({ S: '1' });
    expect((await read('ok/b'))?.['value']).toEqual({ S: '2' });
  });

  it('changes nothing when one condition fails, and says which one in order', async () => {
    await db.send(new PutItemCommand({ TableName, Item: { ...key('stale'), syncCount: { N: '5' } } }));
    await db.send(new PutItemCommand({ TableName, Item: { ...key('stale/a'), value: { S: 'before' } } }));
    const error = await canceled([
      { Put: { TableName, Item: { ...key('stale/a'), value: { S: 'after' } } } },
      {
        Update: {
          TableName,
          Key: key('stale'),
          UpdateExpression: 'SET syncCount = :n',
          ConditionExpression: 'syncCount = :old',
          ExpressionAttributeValues: { ':n': { N: '4' }, ':old': { N: '3' } },
        },
      },
      { Delete: { TableName, Key: key('stale/b') } },
    ]);
    expect(error.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]');
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
    ]);
    expect((await read('stale/a'))?.['value']).toEqual({ S: 'before' });
    expect((await read('stale'))?.['syncCount']).toEqual({ N: '5' });
  });

  it('fails on a ConditionCheck, which writes nothing itself, and returns the item when asked', async () => {
    await db.send(new PutItemCommand({ TableName, Item: { ...key('guard'), locked: { BOOL: true } } }));
    const error = await canceled([
      { Put: { TableName, Item: key('guarded/a') } },
      {
        ConditionCheck: {
          TableName,
          Key: key('guard'),
          ConditionExpression: 'attribute_not_exists(locked)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]);
    expect(error.CancellationReasons?.[1]).toEqual({
      Code: 'ConditionalCheckFailed',
      Message: 'The conditional request failed',
      Item: { ...key('guard'), locked: { BOOL: true } },
    });
    expect(await read('guarded/a')).toBeUndefined();
  });

  it('rolls back the writes already applied when a later write is invalid', async () => {
    await db.send(new PutItemCommand({ TableName, Item: { ...key('typed'), count: { S: 'not a number' } } }));
    const error = await canceled([
      { Put: { TableName, Item: { ...key('typed/first'), value: { S: 'x' } } } },
      {
        Update: {
          TableName,
          Key: key('typed'),
          UpdateExpression: 'ADD #c :one',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: { ':one': { N: '1' } },
        },
      },
    ]);
    expect(error.CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'ValidationError']);
    expect(await read('typed/first')).toBeUndefined();
  });

  it('lets exactly one of two concurrent pushes from the same count win', async () => {
    await db.send(new TransactWriteItemsCommand({ TransactItems: push('race', undefined, {}) }));
    // Many records make each transaction take a while: the two may overlap, and the second is then a conflict.
    const records = (device: number) => Object.fromEntries(Array.from({ length: 60 }, (_, i) => [i === 0 ? 'a' : `r${i}`, `device ${device}`]));
    const results = await Promise.allSettled([
      db.send(new TransactWriteItemsCommand({ TransactItems: push('race', 1, records(1)) })),
      db.send(new TransactWriteItemsCommand({ TransactItems: push('race', 1, records(2)) })),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = results.find((result) => result.status === 'rejected');
    expect(loser?.reason).toBeInstanceOf(TransactionCanceledException);
    // Refused by the head's condition when it came after the winner's commit, or as a conflict while the winner
    // still held the head: DynamoDB answers either way, depending on the moment.
    const reasons = loser?.reason instanceof TransactionCanceledException ? loser.reason.CancellationReasons : undefined;
    expect(['ConditionalCheckFailed', 'TransactionConflict']).toContain(reasons?.[0]?.Code);
    const winner = results.findIndex((result) => result.status === 'fulfilled') + 1;
    expect((await read('race/a'))?.['value']).toEqual({ S: `device ${winner}` });
    expect((await read('race'))?.['syncCount']).toEqual({ N: '2' });
  });

  it('accepts 100 items and refuses 101 with a ValidationException', async () => {
    const items = (count: number) => Array.from({ length: count }, (_, i): TransactWriteItem => ({ Put: { TableName, Item: key(`bulk/${i}`) } }));
    await db.send(new TransactWriteItemsCommand({ TransactItems: items(100) }));
    await expect(db.send(new TransactWriteItemsCommand({ TransactItems: items(101) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100"),
    });
  });

  it('refuses two operations on one item', async () => {
    await expect(
      db.send(
        new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName, Item: key('twice') } }, { Delete: { TableName, Key: key('twice') } }] }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item' });
  });

  it('refuses an Update without UpdateExpression and a ReturnValuesOnConditionCheckFailure outside its values', async () => {
    const noExpression = { Update: { TableName, Key: key('shape') } } as unknown as TransactWriteItem;
    await expect(db.send(new TransactWriteItemsCommand({ TransactItems: [noExpression] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy constraint: Member must not be null",
    });
    const bogus = { Delete: { TableName, Key: key('shape'), ReturnValuesOnConditionCheckFailure: 'BOGUS' } } as unknown as TransactWriteItem;
    await expect(db.send(new TransactWriteItemsCommand({ TransactItems: [bogus] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("at 'transactItems.1.member.delete.returnValuesOnConditionCheckFailure' failed to satisfy constraint"),
    });
    expect(await read('shape')).toBeUndefined();
  });

  it('takes a ClientRequestToken of 36 characters and refuses one of 37', async () => {
    await db.send(
      new TransactWriteItemsCommand({ ClientRequestToken: 'x'.repeat(36), TransactItems: [{ Put: { TableName, Item: key('token/36') } }] }),
    );
    await expect(
      db.send(new TransactWriteItemsCommand({ ClientRequestToken: 'x'.repeat(37), TransactItems: [{ Put: { TableName, Item: key('token/37') } }] })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36"),
    });
    expect(await read('token/37')).toBeUndefined();
  });

  it('applies a retried request (same ClientRequestToken) once', async () => {
    const ClientRequestToken = 'retry-1';
    await db.send(new TransactWriteItemsCommand({ ClientRequestToken, TransactItems: push('idem', undefined, { a: 'v' }) }));
    // The same request again would fail its condition if it ran: an idempotent retry answers success instead.
    await db.send(new TransactWriteItemsCommand({ ClientRequestToken, TransactItems: push('idem', undefined, { a: 'v' }) }));
    await expect(
      db.send(new TransactWriteItemsCommand({ ClientRequestToken, TransactItems: push('idem', undefined, { a: 'other' }) })),
    ).rejects.toMatchObject({ name: 'IdempotentParameterMismatchException' });
    expect((await read('idem'))?.['syncCount']).toEqual({ N: '1' });
  });
});

describe('TransactWriteItems in flight, held before they commit until the test lets them go', () => {
  let held: Stack;
  let db2: DynamoDBClient;
  let owner: string;
  const gate = transactionGate();
  const release = (): void => gate.release();
  beforeAll(async () => {
    held = await startStack({ port: 0, allowedActions: [...WIDE_ACTIONS], holdTransaction: gate.hold });
    const session = await awsSession(held, (await signIn(held, 'alice')).idToken);
    owner = session.identityId;
    db2 = dynamoClient(held, session.credentials);
  });
  afterAll(async () => {
    release();
    await held.close();
  });
  beforeEach(() => gate.close());
  afterEach(() => release());
  const mine = (sk: string) => ({ pk: { S: owner }, sk: { S: sk } });
  const put = (sk: string, value: string): TransactWriteItem => ({ Put: { TableName, Item: { ...mine(sk), value: { S: value } } } });
  const valueAt = async (sk: string) => (await db2.send(new GetItemCommand({ TableName, Key: mine(sk), ConsistentRead: true }))).Item?.['value'];
  /** Resolves once the first transaction holds its items and waits at the gate. */
  const arrived = (count: number) => expect.poll(() => gate.waiting, { interval: 5 }).toBeGreaterThanOrEqual(count);

  it('cancels a second transaction on a held item with TransactionConflict on that item only', async () => {
    const first = db2.send(new TransactWriteItemsCommand({ TransactItems: [put('held/a', 'first')] }));
    await arrived(1);
    const second = db2.send(new TransactWriteItemsCommand({ TransactItems: [put('held/b', 'second'), put('held/a', 'second')] }));
    await expect(second).rejects.toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }],
    });
    release();
    await first;
    expect(await valueAt('held/a')).toEqual({ S: 'first' });
    // All or nothing: the item nobody held was not written either.
    expect(await valueAt('held/b')).toBeUndefined();
    // Once the first has committed, the item is free again.
    await db2.send(new TransactWriteItemsCommand({ TransactItems: [put('held/a', 'third')] }));
    expect(await valueAt('held/a')).toEqual({ S: 'third' });
  });

  it('refuses a single-item write to a held item with TransactionConflictException, and still answers reads', async () => {
    await db2.send(new PutItemCommand({ TableName, Item: { ...mine('single'), value: { S: 'before' } } }));
    const transaction = db2.send(new TransactWriteItemsCommand({ TransactItems: [put('single', 'by the transaction')] }));
    await arrived(1);
    await expect(db2.send(new PutItemCommand({ TableName, Item: { ...mine('single'), value: { S: 'by PutItem' } } }))).rejects.toMatchObject({
      name: 'TransactionConflictException',
    });
    await expect(db2.send(new DeleteItemCommand({ TableName, Key: mine('single') }))).rejects.toMatchObject({ name: 'TransactionConflictException' });
    // A read while the transaction is in flight sees the item as it was.
    expect(await valueAt('single')).toEqual({ S: 'before' });
    release();
    await transaction;
    expect(await valueAt('single')).toEqual({ S: 'by the transaction' });
  });

  it('answers TransactionInProgressException to the same token sent again meanwhile, and applies it once', async () => {
    const request = () => new TransactWriteItemsCommand({ ClientRequestToken: 'in-flight-1', TransactItems: [put('token/a', 'once')] });
    const first = db2.send(request());
    await arrived(1);
    await expect(db2.send(request())).rejects.toMatchObject({ name: 'TransactionInProgressException' });
    release();
    await first;
    // After the commit, the same token is an idempotent retry: success, nothing written again.
    await db2.send(new PutItemCommand({ TableName, Item: { ...mine('token/a'), value: { S: 'changed since' } } }));
    await db2.send(request());
    expect(await valueAt('token/a')).toEqual({ S: 'changed since' });
  });

  it('judges a cancelled transaction afresh when its token is sent again', async () => {
    const holder = db2.send(new TransactWriteItemsCommand({ TransactItems: [put('retry/a', 'holder')] }));
    await arrived(1);
    const again = () => new TransactWriteItemsCommand({ ClientRequestToken: 'cancelled-1', TransactItems: [put('retry/a', 'retried')] });
    await expect(db2.send(again())).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    release();
    await holder;
    await db2.send(again());
    expect(await valueAt('retry/a')).toEqual({ S: 'retried' });
  });
});
