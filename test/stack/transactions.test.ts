// TransactWriteItems, which the gateway adds to dynalite: all or nothing, with AWS's cancellation reasons.
import { GetItemCommand, PutItemCommand, TransactWriteItemsCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIDE_ACTIONS } from '../../stack/dynamodb/policy';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';
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
    // Many records make each transaction long enough for the two to overlap, were they not serialised.
    const records = (device: number) => Object.fromEntries(Array.from({ length: 60 }, (_, i) => [i === 0 ? 'a' : `r${i}`, `device ${device}`]));
    const results = await Promise.allSettled([
      db.send(new TransactWriteItemsCommand({ TransactItems: push('race', 1, records(1)) })),
      db.send(new TransactWriteItemsCommand({ TransactItems: push('race', 1, records(2)) })),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = results.find((result) => result.status === 'rejected');
    expect(loser?.reason).toBeInstanceOf(TransactionCanceledException);
    expect(loser?.reason).toMatchObject({
      CancellationReasons: expect.arrayContaining([{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]),
    });
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
