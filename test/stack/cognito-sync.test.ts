// Cognito Sync through the real SDK client (@aws-sdk/client-cognito-sync), signed with the credentials
// Cognito issued: the caller's own datasets behave as the API reference says; anything else is refused
// as AWS refuses it.
import {
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  ListDatasetsCommand,
  ListRecordsCommand,
  UpdateRecordsCommand,
} from '@aws-sdk/client-cognito-sync';
import type { CognitoSyncClient, RecordPatch } from '@aws-sdk/client-cognito-sync';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';
import { awsSession, cognitoSyncClient } from './support/aws-clients';
import type { AwsCredentials } from './support/aws-clients';
import { signIn } from './support/oidc-client';

let stack: Stack;
let alice: { identityId: string; credentials: AwsCredentials };
let bob: { identityId: string; credentials: AwsCredentials };
let sync: CognitoSyncClient;
let datasets = 0;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
  alice = await awsSession(stack, (await signIn(stack, 'alice')).idToken);
  bob = await awsSession(stack, (await signIn(stack, 'bob')).idToken);
  sync = cognitoSyncClient(stack, alice.credentials);
});

afterAll(async () => {
  await stack.close();
});

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) {
      const metadata = '$metadata' in error && typeof error.$metadata === 'object' && error.$metadata !== null ? error.$metadata : {};
      const status = 'httpStatusCode' in metadata && typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
      return { name: error.name, message: error.message, status };
    }
    throw error;
  }
  throw new Error('the call succeeded');
}

const nextDataset = (): string => `Stack.${++datasets}`;

function where(DatasetName: string, identityId = alice.identityId) {
  return { IdentityPoolId: stack.config.identityPoolId, IdentityId: identityId, DatasetName };
}

async function list(DatasetName: string, LastSyncCount = 0, client = sync) {
  return client.send(new ListRecordsCommand({ ...where(DatasetName), LastSyncCount }));
}

async function update(DatasetName: string, patches: RecordPatch[], client = sync) {
  const { SyncSessionToken } = await list(DatasetName, 0, client);
  return client.send(new UpdateRecordsCommand({ ...where(DatasetName), SyncSessionToken, DeviceId: 'test', RecordPatches: patches }));
}

const put = (Key: string, Value: string, SyncCount = 0): RecordPatch => ({
  Op: 'replace',
  Key,
  Value,
  SyncCount,
  DeviceLastModifiedDate: new Date(1_767_225_600_007),
});

describe('records', () => {
  it('a new dataset lists nothing, does not exist, and hands out a session token', async () => {
    const answer = await list(nextDataset());
    expect(answer).toMatchObject({ Records: [], DatasetSyncCount: 0, DatasetExists: false, DatasetDeletedAfterRequestedSyncCount: false });
    expect(answer.SyncSessionToken).toEqual(expect.any(String));
  });

  it('UpdateRecords commits at the next dataset sync count; ListRecords answers what changed after a count', async () => {
    const name = nextDataset();
    const first = await update(name, [put('a', '1'), put('b', '')]);
    expect(first.Records?.map((r) => [r.Key, r.Value, r.SyncCount])).toEqual([
      ['a', '1', 1],
      ['b', '', 1],
    ]);
    await update(name, [put('a', '2', 1)]);
    const all = await list(name);
    expect(all.DatasetSyncCount).toBe(2);
    expect(all.DatasetExists).toBe(true);
    expect(all.Records?.map((r) => [r.Key, r.Value, r.SyncCount])).toEqual([
      ['b', '', 1],
      ['a', '2', 2],
    ]);
    const since1 = await list(name, 1);
    expect(since1.Records?.map((r) => r.Key)).toEqual(['a']);
    expect(since1.Records?.[0]?.DeviceLastModifiedDate?.getTime()).toBe(1_767_225_600_007);
    expect((await list(name, 2)).Records).toEqual([]);
  });

  it('a removed record comes back without a value, and "" is a value', async () => {
    const name = nextDataset();
    await update(name, [put('gone', 'x'), put('empty', '')]);
    await update(name, [{ Op: 'remove', Key: 'gone', SyncCount: 1 }]);
    const records = (await list(name)).Records ?? [];
    expect(records.find((r) => r.Key === 'gone')).not.toHaveProperty('Value');
    expect(records.find((r) => r.Key === 'empty')?.Value).toBe('');
  });

  it('a stale SyncCount is a 409 ResourceConflictException and nothing of the request is applied', async () => {
    const name = nextDataset();
    await update(name, [put('k', 'first')]);
    const error = await failure(update(name, [put('other', 'x'), put('k', 'second', 0)]));
    expect(error).toMatchObject({ name: 'ResourceConflictException', status: 409, message: 'Current SyncCount for: k is: 1 not: 0' });
    const after = await list(name);
    expect(after.DatasetSyncCount).toBe(1);
    expect(after.Records?.map((r) => [r.Key, r.Value])).toEqual([['k', 'first']]);
  });

  it('a value past 1,048,575 characters and a DeviceId past 256 are refused as the service model bounds them', async () => {
    const name = nextDataset();
    expect(await failure(update(name, [put('a', 'x'.repeat(1_048_576))]))).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining("at 'recordPatches.1.member.value' failed to satisfy constraint"),
    });
    const { SyncSessionToken } = await list(name);
    const longDevice = sync.send(
      new UpdateRecordsCommand({ ...where(name), SyncSessionToken, DeviceId: 'd'.repeat(257), RecordPatches: [put('a', '1')] }),
    );
    expect(await failure(longDevice)).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining("at 'deviceId'") });
    expect((await list(name)).Records).toEqual([]);
  });

  it('UpdateRecords without a session token from ListRecords is refused', async () => {
    const name = nextDataset();
    const error = await failure(sync.send(new UpdateRecordsCommand({ ...where(name), SyncSessionToken: 'made-up', RecordPatches: [put('a', '1')] })));
    expect(error).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });

  it('pages with NextToken, every page at the sync count of the first', async () => {
    const name = nextDataset();
    await update(
      name,
      Array.from({ length: 5 }, (_, i) => put(`k${i}`, String(i))),
    );
    const first = await sync.send(new ListRecordsCommand({ ...where(name), LastSyncCount: 0, MaxResults: 2 }));
    expect(first.Records).toHaveLength(2);
    await update(name, [put('k0', 'changed', 1)]);
    const keys = [...(first.Records ?? []).map((r) => r.Key)];
    let token = first.NextToken;
    while (token) {
      const page = await sync.send(new ListRecordsCommand({ ...where(name), LastSyncCount: 0, MaxResults: 2, NextToken: token }));
      expect(page.DatasetSyncCount).toBe(1);
      keys.push(...(page.Records ?? []).map((r) => r.Key));
      token = page.NextToken;
    }
    expect(keys).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
  });
});

describe('datasets', () => {
  it('DescribeDataset, ListDatasets and DeleteDataset; a device that synced before the deletion is told', async () => {
    const client = cognitoSyncClient(stack, bob.credentials);
    const mine = (name: string) => where(name, bob.identityId);
    const { SyncSessionToken } = await client.send(new ListRecordsCommand(mine('Doomed')));
    await client.send(new UpdateRecordsCommand({ ...mine('Doomed'), SyncSessionToken, RecordPatches: [put('a', 'abc')] }));
    const { Dataset } = await client.send(new DescribeDatasetCommand(mine('Doomed')));
    expect(Dataset).toMatchObject({ DatasetName: 'Doomed', IdentityId: bob.identityId, NumRecords: 1, DataStorage: 4 });
    const listed = await client.send(new ListDatasetsCommand({ IdentityPoolId: stack.config.identityPoolId, IdentityId: bob.identityId }));
    expect(listed.Datasets?.map((d) => d.DatasetName)).toEqual(['Doomed']);

    await client.send(new DeleteDatasetCommand(mine('Doomed')));
    expect(await failure(client.send(new DescribeDatasetCommand(mine('Doomed'))))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    const after = await client.send(new ListRecordsCommand({ ...mine('Doomed'), LastSyncCount: 1 }));
    expect(after).toMatchObject({ DatasetExists: false, DatasetDeletedAfterRequestedSyncCount: true, Records: [] });
    expect((await client.send(new ListRecordsCommand({ ...mine('Doomed'), LastSyncCount: 0 }))).DatasetDeletedAfterRequestedSyncCount).toBe(false);
    client.destroy();
  });

  it('at most 20 datasets per identity: the 21st is LimitExceededException', async () => {
    const fresh = await startStack({ port: 0 });
    try {
      const carol = await awsSession(fresh, (await signIn(fresh, 'alice')).idToken);
      const client = cognitoSyncClient(fresh, carol.credentials);
      const at = (name: string) => ({ IdentityPoolId: fresh.config.identityPoolId, IdentityId: carol.identityId, DatasetName: name });
      const write = async (name: string) => {
        const { SyncSessionToken } = await client.send(new ListRecordsCommand(at(name)));
        return client.send(new UpdateRecordsCommand({ ...at(name), SyncSessionToken, RecordPatches: [put('k', 'v')] }));
      };
      for (let i = 1; i <= 20; i += 1) await write(`D${i}`);
      expect(await failure(write('D21'))).toMatchObject({ name: 'LimitExceededException', status: 400 });
      client.destroy();
    } finally {
      await fresh.close();
    }
  });

  it('at most 1,024 records and 1 MB per dataset; removed records do not count', async () => {
    const name = nextDataset();
    await update(
      name,
      Array.from({ length: 1024 }, (_, i) => put(`k${i}`, 'v')),
    );
    expect(await failure(update(name, [put('one-more', 'v')]))).toMatchObject({ name: 'LimitExceededException' });
    await update(name, [{ Op: 'remove', Key: 'k0', SyncCount: 1 }]);
    await update(name, [put('one-more', 'v')]);

    const big = nextDataset();
    await update(big, [put('a', 'x'.repeat(1024 * 1024 - 1))]);
    expect(await failure(update(big, [put('b', '')]))).toMatchObject({ name: 'LimitExceededException' });
  });
});

describe('authentication and the role policy', () => {
  it("another identity's dataset is refused with IAM's AccessDeniedException (403)", async () => {
    const error = await failure(sync.send(new ListRecordsCommand({ ...where('MainDataset', bob.identityId) })));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.status).toBe(403);
    expect(error.message).toContain(
      `cognito-sync:ListRecords on resource: arn:aws:cognito-sync:us-east-1:000000000000:identitypool/${stack.config.identityPoolId}/identity/${bob.identityId}/dataset/MainDataset`,
    );
    const write = await failure(
      sync.send(new UpdateRecordsCommand({ ...where('MainDataset', bob.identityId), SyncSessionToken: 'x', RecordPatches: [] })),
    );
    expect(write).toMatchObject({ name: 'AccessDeniedException', status: 403 });
  });

  it('another identity pool is refused too', async () => {
    const error = await failure(
      sync.send(new ListRecordsCommand({ ...where('MainDataset'), IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000' })),
    );
    expect(error).toMatchObject({ name: 'AccessDeniedException', status: 403 });
  });

  it('a signature scoped to another service is refused', async () => {
    // Scoped to `dynamodb`, as a DynamoDB client signs: the scope is checked before the signature itself.
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const scope = `${amzDate.slice(0, 8)}/us-east-1/dynamodb/aws4_request`;
    const response = await fetch(
      `${stack.config.endpoints.cognitoSync}/identitypools/${encodeURIComponent(stack.config.identityPoolId)}/identities/${encodeURIComponent(alice.identityId)}/datasets/MainDataset/records`,
      {
        headers: {
          'x-amz-date': amzDate,
          'x-amz-security-token': alice.credentials.sessionToken,
          authorization: `AWS4-HMAC-SHA256 Credential=${alice.credentials.accessKeyId}/${scope}, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        },
      },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(JSON.stringify(await response.json())).toContain("Credential should be scoped to correct service: 'cognito-sync'");
  });

  it('credentials Cognito never issued are refused', async () => {
    const client = cognitoSyncClient(stack, { ...alice.credentials, accessKeyId: 'ASIAFORGEDFORGEDFORG' });
    expect(await failure(list('MainDataset', 0, client))).toMatchObject({ name: 'UnrecognizedClientException' });
    client.destroy();
  });
});

describe('admin API', () => {
  it('counts requests per operation, injects faults, and lists the backends in /_stack/config', async () => {
    const config = await (await fetch(`${stack.url}/_stack/config`)).json();
    expect(config).toMatchObject({ backends: ['dynamodb', 'cognitoSync'], endpoints: { cognitoSync: `${stack.url}/cognito-sync` } });
    stack.resetCounters();
    const name = nextDataset();
    await update(name, [put('a', '1')]);
    expect(stack.counters()).toMatchObject({ 'cognito-sync.ListRecords': { requests: 1 }, 'cognito-sync.UpdateRecords': { requests: 1 } });
    stack.addFault({ service: 'cognito-sync', operation: 'ListRecords', kind: 'error', status: 429, errorType: 'TooManyRequestsException' });
    expect(await failure(list(name))).toMatchObject({ name: 'TooManyRequestsException', status: 429 });
    expect((await list(name)).DatasetSyncCount).toBe(1);
  });
});

describe('two identities merged (Cognito Identity linking two sign-ins)', () => {
  it("makes the other identity's datasets this one's `<dataset>.<other id>`, listed in MergedDatasetNames until deleted", async () => {
    const bobs = cognitoSyncClient(stack, bob.credentials);
    const ofBob = (name: string) => where(name, bob.identityId);
    const { SyncSessionToken } = await bobs.send(new ListRecordsCommand({ ...ofBob('Merging'), LastSyncCount: 0 }));
    await bobs.send(
      new UpdateRecordsCommand({ ...ofBob('Merging'), SyncSessionToken, RecordPatches: [put('from bob', 'café ☕'), put('empty', '')] }),
    );
    await update('Merging', [put('from alice', 'a')]);

    const answer = await fetch(`${stack.url}/_stack/cognito-sync/merge-identities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: bob.identityId, into: alice.identityId }),
    });
    const merged = `Merging.${bob.identityId}`;
    expect(await answer.json()).toEqual({ merged: expect.arrayContaining([merged]) });

    expect((await list('Merging')).MergedDatasetNames).toEqual([merged]);
    const copy = await list(merged);
    expect(Object.fromEntries((copy.Records ?? []).map((r) => [r.Key, r.Value]))).toEqual({ 'from bob': 'café ☕', empty: '' });
    // The merged identity keeps nothing of its own.
    const left = await bobs.send(new ListDatasetsCommand({ IdentityPoolId: stack.config.identityPoolId, IdentityId: bob.identityId }));
    expect(left.Datasets).toEqual([]);
    bobs.destroy();

    await sync.send(new DeleteDatasetCommand(where(merged)));
    expect((await list('Merging')).MergedDatasetNames ?? []).toEqual([]);
  });

  it('a dataset never merged into lists no MergedDatasetNames, and a bad merge request is refused', async () => {
    expect((await list(nextDataset())).MergedDatasetNames ?? []).toEqual([]);
    const answer = await fetch(`${stack.url}/_stack/cognito-sync/merge-identities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: alice.identityId, into: alice.identityId }),
    });
    expect(answer.status).toBe(400);
  });
});

describe('persistence', () => {
  it('keeps datasets across a restart with --data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-stack-'));
    try {
      const first = await startStack({ port: 0, dataDir });
      const session = await awsSession(first, (await signIn(first, 'alice')).idToken);
      const at = { IdentityPoolId: first.config.identityPoolId, IdentityId: session.identityId, DatasetName: 'Kept' };
      let client = cognitoSyncClient(first, session.credentials);
      const { SyncSessionToken } = await client.send(new ListRecordsCommand(at));
      await client.send(new UpdateRecordsCommand({ ...at, SyncSessionToken, RecordPatches: [put('value', 'still here')] }));
      client.destroy();
      await first.close();
      const second = await startStack({ port: Number(new URL(first.url).port), dataDir });
      try {
        client = cognitoSyncClient(second, session.credentials);
        const { Records, DatasetSyncCount } = await client.send(new ListRecordsCommand(at));
        expect(DatasetSyncCount).toBe(1);
        expect(Records?.map((r) => r.Value)).toEqual(['still here']);
        client.destroy();
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
