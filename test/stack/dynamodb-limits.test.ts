// The stack's DynamoDB refuses what DynamoDB refuses, with DynamoDB's answers: items over 400 KB, empty-string
// key attributes (of the table and of its bySync index), transactions over 100 items or 4 MB. Code that passes here would not be refused by AWS for size.
// Limits: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
import {
  BatchWriteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIDE_ACTIONS } from '../../stack/dynamodb/policy';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';
import { awsSession, dynamoClient } from './support/aws-clients';
import { signIn } from './support/oidc-client';

const TableName = 'ExtensionDatasets';
const KB = 1024;
let stack: Stack;
let me: string;
let db: DynamoDBClient;

beforeAll(async () => {
  stack = await startStack({ port: 0, allowedActions: [...WIDE_ACTIONS] });
  const session = await awsSession(stack, (await signIn(stack, 'alice')).idToken);
  me = session.identityId;
  db = dynamoClient(stack, session.credentials);
});

afterAll(async () => {
  await stack.close();
});

const key = (sk: string) => ({ pk: { S: me }, sk: { S: sk } });
/** An item of exactly `bytes` as DynamoDB counts them (names + values): pk, sk and a `v` string filling the rest. */
const itemOf = (sk: string, bytes: number) => ({
  ...key(sk),
  v: { S: 'x'.repeat(bytes - ('pk'.length + me.length + 'sk'.length + sk.length + 'v'.length)) },
});
/** The same, its `v` written in a 3-byte character (UTF-8) as far as it goes: DynamoDB counts bytes, not characters. */
const wideItemOf = (sk: string, bytes: number) => {
  const fill = bytes - ('pk'.length + me.length + 'sk'.length + sk.length + 'v'.length);
  return { ...key(sk), v: { S: '界'.repeat(Math.floor(fill / 3)) + 'x'.repeat(fill % 3) } };
};
const read = async (sk: string) => (await db.send(new GetItemCommand({ TableName, Key: key(sk), ConsistentRead: true }))).Item;

describe('items', () => {
  it('accepts an item of exactly 400 KB and refuses one byte more', async () => {
    await db.send(new PutItemCommand({ TableName, Item: itemOf('big/at-limit', 400 * KB) }));
    await expect(db.send(new PutItemCommand({ TableName, Item: itemOf('big/over', 400 * KB + 1) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Item size has exceeded the maximum allowed size',
    });
    expect(await read('big/over')).toBeUndefined();
  });

  it('counts a string in UTF-8 bytes: 400 KB of 3-byte characters fit, one byte more does not', async () => {
    const atLimit = wideItemOf('wide/at-limit', 400 * KB);
    await db.send(new PutItemCommand({ TableName, Item: atLimit }));
    expect((await read('wide/at-limit'))?.['v']).toEqual(atLimit.v);
    // About 140,000 characters: a third of the limit in UTF-16 code units, over it in bytes.
    await expect(db.send(new PutItemCommand({ TableName, Item: wideItemOf('wide/over', 400 * KB + 1) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Item size has exceeded the maximum allowed size',
    });
    await expect(
      db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName, Item: wideItemOf('wide/tx-over', 400 * KB + 1) } }] })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: 'Item size has exceeded the maximum allowed size' });
    const update = new UpdateItemCommand({
      TableName,
      Key: key('wide/at-limit'),
      UpdateExpression: 'SET w = :w',
      ExpressionAttributeValues: { ':w': { S: '界' } },
    });
    await expect(db.send(update)).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Item size to update has exceeded the maximum allowed size',
    });
  });

  it('refuses an update that would grow an item past 400 KB', async () => {
    await db.send(new PutItemCommand({ TableName, Item: itemOf('big/grows', 300 * KB) }));
    const update = new UpdateItemCommand({
      TableName,
      Key: key('big/grows'),
      UpdateExpression: 'SET w = :w',
      ExpressionAttributeValues: { ':w': { S: 'y'.repeat(101 * KB) } },
    });
    await expect(db.send(update)).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Item size to update has exceeded the maximum allowed size',
    });
    expect((await read('big/grows'))?.['w']).toBeUndefined();
  });

  it('refuses an empty string as a key attribute', async () => {
    await expect(db.send(new PutItemCommand({ TableName, Item: { pk: { S: me }, sk: { S: '' } } }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk',
    });
    await expect(db.send(new GetItemCommand({ TableName, Key: { pk: { S: me }, sk: { S: '' } } }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty string value. Key: sk',
    });
  });
});

describe('key sizes, in UTF-8 bytes', () => {
  const refusal = 'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes';
  it('takes a sort key of 1,024 bytes and refuses one of 1,026 written in 342 characters', async () => {
    await db.send(new PutItemCommand({ TableName, Item: key(`${'界'.repeat(341)}x`) }));
    await expect(db.send(new PutItemCommand({ TableName, Item: key('界'.repeat(342)) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: refusal,
    });
    await expect(db.send(new GetItemCommand({ TableName, Key: key('界'.repeat(342)) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: refusal,
    });
  });

  it('refuses the bySync index key (sc) past 1,024 bytes too', async () => {
    await expect(db.send(new PutItemCommand({ TableName, Item: { ...key('index/key'), sc: { S: '界'.repeat(342) } } }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: refusal,
    });
    expect(await read('index/key')).toBeUndefined();
  });
});

describe('an empty string as the key of the bySync index (sc)', () => {
  const putMessage =
    'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: bySync, IndexKey: sc';

  it('is refused in a put, a batch and a transaction, before anything is written', async () => {
    await expect(db.send(new PutItemCommand({ TableName, Item: { ...key('idx/put'), sc: { S: '' } } }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: putMessage,
    });
    const batch = new BatchWriteItemCommand({
      RequestItems: {
        [TableName]: [{ PutRequest: { Item: key('idx/batch/ok') } }, { PutRequest: { Item: { ...key('idx/batch/empty'), sc: { S: '' } } } }],
      },
    });
    await expect(db.send(batch)).rejects.toMatchObject({ name: 'ValidationException', message: putMessage });
    const transaction = new TransactWriteItemsCommand({
      TransactItems: [{ Put: { TableName, Item: key('idx/tx/ok') } }, { Put: { TableName, Item: { ...key('idx/tx/empty'), sc: { S: '' } } } }],
    });
    // A ValidationException for the whole request, not a cancellation reason.
    await expect(db.send(transaction)).rejects.toMatchObject({ name: 'ValidationException', message: putMessage });
    for (const sk of ['idx/put', 'idx/batch/ok', 'idx/tx/ok']) expect(await read(sk)).toBeUndefined();
  });

  it('is refused in an update that sets it, and allowed when the attribute is left out or removed', async () => {
    await db.send(new PutItemCommand({ TableName, Item: { ...key('idx/update'), sc: { S: 'Main/1' } } }));
    await expect(
      db.send(
        new UpdateItemCommand({
          TableName,
          Key: key('idx/update'),
          UpdateExpression: 'SET sc = :empty',
          ExpressionAttributeValues: { ':empty': { S: '' } },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        'One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.',
    });
    expect((await read('idx/update'))?.['sc']).toEqual({ S: 'Main/1' });
    // An item without sc is simply not in the index; removing it is allowed.
    await db.send(new UpdateItemCommand({ TableName, Key: key('idx/update'), UpdateExpression: 'REMOVE sc' }));
    expect((await read('idx/update'))?.['sc']).toBeUndefined();
    // An empty string outside any key is allowed, as DynamoDB allows it.
    await db.send(new PutItemCommand({ TableName, Item: { ...key('idx/other'), note: { S: '' } } }));
    expect((await read('idx/other'))?.['note']).toEqual({ S: '' });
  });
});

describe('transactions', () => {
  const puts = (prefix: string, count: number, bytes: number) =>
    Array.from({ length: count }, (_, i): TransactWriteItem => ({ Put: { TableName, Item: itemOf(`${prefix}/${i}`, bytes) } }));

  it('accepts 4 MB of items and refuses a transaction over 4 MB, writing nothing', async () => {
    await db.send(new TransactWriteItemsCommand({ TransactItems: puts('tx4/ok', 10, 400 * KB) }));
    expect(await read('tx4/ok/9')).toBeDefined();
    const over = [...puts('tx4/over', 10, 400 * KB), { Put: { TableName, Item: itemOf('tx4/over/last', 97 * KB) } }];
    await expect(db.send(new TransactWriteItemsCommand({ TransactItems: over }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Transaction item size has exceeded the 4 MB limit',
    });
    expect(await read('tx4/over/0')).toBeUndefined();
  });

  it('refuses a transaction with an item over 400 KB', async () => {
    const items = [...puts('tx400/small', 2, KB), ...puts('tx400/big', 1, 400 * KB + 1)];
    await expect(db.send(new TransactWriteItemsCommand({ TransactItems: items }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Item size has exceeded the maximum allowed size',
    });
    expect(await read('tx400/small/0')).toBeUndefined();
  });

  it('refuses a transaction with an empty-string key attribute', async () => {
    const items: TransactWriteItem[] = [...puts('txempty', 1, KB), { Put: { TableName, Item: { pk: { S: me }, sk: { S: '' } } } }];
    await expect(db.send(new TransactWriteItemsCommand({ TransactItems: items }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('The AttributeValue for a key attribute cannot contain an empty string value. Key: sk'),
    });
    expect(await read('txempty/0')).toBeUndefined();
  });

  it('cancels a transaction whose update would grow an item past 400 KB, and writes nothing', async () => {
    await db.send(new PutItemCommand({ TableName, Item: itemOf('txgrow/item', 300 * KB) }));
    const items: TransactWriteItem[] = [
      ...puts('txgrow/other', 1, KB),
      {
        Update: {
          TableName,
          Key: key('txgrow/item'),
          UpdateExpression: 'SET w = :w',
          ExpressionAttributeValues: { ':w': { S: 'y'.repeat(101 * KB) } },
        },
      },
    ];
    await expect(db.send(new TransactWriteItemsCommand({ TransactItems: items }))).rejects.toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'ValidationError', Message: 'Item size to update has exceeded the maximum allowed size' }],
    });
    expect(await read('txgrow/other/0')).toBeUndefined();
  });
});

describe('Query pages', () => {
  it('end at 1 MB counted in UTF-8 bytes, as DynamoDB counts them, and the next page goes on from the last key', async () => {
    // 15 items of 100 KB in 3-byte characters: 1.5 MB as DynamoDB counts, half a megabyte in UTF-16 code units.
    const count = 15;
    for (let i = 0; i < count; i++) {
      const sk = `page/${String(i).padStart(2, '0')}`;
      await db.send(new PutItemCommand({ TableName, Item: { ...wideItemOf(sk, 100 * KB - 20), sc: { S: sk } } }));
    }
    const pages: number[] = [];
    const seen: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName,
          IndexName: 'bySync',
          KeyConditionExpression: 'pk = :pk AND begins_with(sc, :page)',
          ExpressionAttributeValues: { ':pk': { S: me }, ':page': { S: 'page/' } },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start as Record<string, { S: string }> } : {}),
        }),
      );
      pages.push(page.Items?.length ?? 0);
      seen.push(...(page.Items ?? []).map((item) => item['sk']?.S ?? ''));
      if (page.LastEvaluatedKey) expect(Object.keys(page.LastEvaluatedKey).sort()).toEqual(['pk', 'sc', 'sk']);
      start = page.LastEvaluatedKey;
    } while (start);
    // Ten items are just under 1 MB; the eleventh reaches it and ends the page.
    expect(pages).toEqual([11, 4]);
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => `page/${String(i).padStart(2, '0')}`));
  });
});
