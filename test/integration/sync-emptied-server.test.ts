// The table was emptied or recreated under the same settings: its head is back below what this device
// last saw, and other browsers of the person may have filled it again before this one syncs. The
// device must merge with what the table holds now (docs/dataset-model.md "An emptied server"), not
// push every copy it holds over it. The stack's role is widened so the test can delete the items.
import { DeleteItemCommand, DynamoDBClient, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { WIDE_ACTIONS } from '../../stack/dynamodb/policy';
import { createDevice, sharedClock, type Device } from '../support/sync-device';
import { signInAtStack, type StackIdentity } from '../support/stack-identity';
import type { ConflictStrategy } from '../../src/shared/settings';

let stack: Stack;
let alice: StackIdentity;
let datasets = 0;

beforeAll(async () => {
  stack = await startStack({ port: 0, memory: true, allowedActions: [...WIDE_ACTIONS] });
  alice = await signInAtStack(stack, 'alice');
});

afterAll(async () => {
  await stack?.close();
});

/** Deletes the dataset's head and records: as good as a recreated table, for this dataset. */
async function emptyDataset(name: string): Promise<void> {
  const client = new DynamoDBClient({
    region: alice.region,
    endpoint: stack.config.endpoints.dynamodb,
    credentials: alice.credentials,
    maxAttempts: 1,
  });
  try {
    const keys: Array<Record<string, AttributeValue>> = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: stack.config.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: alice.identityId } },
          ProjectionExpression: 'pk, sk',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const sk = item['sk']?.S;
        if (sk === name || sk?.startsWith(`${name}/`)) keys.push({ pk: { S: alice.identityId }, sk: { S: sk } });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) await client.send(new DeleteItemCommand({ TableName: stack.config.tableName, Key: key }));
  } finally {
    client.destroy();
  }
}

/** Two browsers of alice on a dataset of their own, sharing a clock. */
async function pair(strategy: ConflictStrategy): Promise<{ name: string; laptop: Device; desktop: Device }> {
  const name = `Emptied.${++datasets}`;
  const options = { identity: alice, dataset: name, now: sharedClock(), strategy };
  return { name, laptop: await createDevice(stack, options), desktop: await createDevice(stack, options) };
}

describe('a table emptied under the same settings', () => {
  it('keeps the newer value another browser uploaded first over a stale copy here, under deviceWins', async () => {
    const { name, laptop, desktop } = await pair('deviceWins');
    await laptop.service.put('k', 'stale, synced before the table was emptied');
    await laptop.service.put('other', '1');
    await laptop.service.sync();
    await laptop.service.put('other', '2');
    await laptop.service.sync();

    await emptyDataset(name);
    // The desktop, which never synced this dataset, fills the emptied table first (count 1, below 2).
    await desktop.service.put('k', 'newer, from the desktop');
    await desktop.service.sync();

    expect(await laptop.service.sync()).toMatchObject({ pulled: 1, pushed: 1, conflicts: [] });
    const both = { k: 'newer, from the desktop', other: '2' };
    expect(await laptop.values()).toEqual(both);
    expect(await desktop.service.sync()).toMatchObject({ pulled: 1, pushed: 0 });
    expect(await desktop.values()).toEqual(both);
  });

  it('takes a removal not yet synced here to the table another browser filled again', async () => {
    const { name, laptop, desktop } = await pair('lastWriterWins');
    await laptop.service.put('k', 'v');
    await laptop.service.put('other', '1');
    await laptop.service.sync();
    await desktop.service.sync();
    await laptop.service.put('other', '2');
    await laptop.service.sync();

    await emptyDataset(name);
    // The desktop (count 1) finds the table emptied first and uploads its copies again, k among them.
    expect(await desktop.service.sync()).toMatchObject({ pushed: 2 });
    await laptop.service.remove('k');

    expect(await laptop.service.sync()).toMatchObject({ pushed: 2, conflicts: [{ key: 'k', winner: 'local' }] });
    expect(await laptop.values()).toEqual({ other: '2' });
    await desktop.service.sync();
    expect(await desktop.values()).toEqual({ other: '2' });
  });

  it('uploads what only this browser holds, once, and stays in step there', async () => {
    const { name, laptop, desktop } = await pair('lastWriterWins');
    await laptop.service.put('a', '1');
    await laptop.service.put('b', '2');
    await laptop.service.sync();
    await laptop.service.remove('b');
    await laptop.service.sync();

    await emptyDataset(name);
    expect(await laptop.service.sync()).toMatchObject({ pulled: 0, pushed: 1, conflicts: [] });
    expect(await laptop.service.sync()).toMatchObject({ pulled: 0, pushed: 0 });
    await desktop.service.sync();
    expect(await desktop.values()).toEqual({ a: '1' });
  });

  it('reports that the table lost the dataset, and how many edits not yet synced this browser kept', async () => {
    const { name, laptop, desktop } = await pair('lastWriterWins');
    await laptop.service.put('k', 'v');
    await laptop.service.sync();
    await desktop.service.sync();

    await emptyDataset(name);
    expect((await desktop.service.sync()).restarted).toEqual({ cause: 'emptied', kept: 0 });
    await emptyDataset(name);
    await laptop.service.put('new', '1');
    await laptop.service.remove('k');
    expect((await laptop.service.sync()).restarted).toEqual({ cause: 'emptied', kept: 2 });
    expect((await laptop.service.sync()).restarted).toBeUndefined();
  });
});
