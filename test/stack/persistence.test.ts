// --data DIR: a restarted stack keeps the table, its signing keys, identities and issued credentials.
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import { awsSession, dynamoClient } from './support/aws-clients';
import { signIn } from './support/oidc-client';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-stack-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('persistence', () => {
  it('accepts after a restart the credentials, ID tokens and data from before', async () => {
    const first = await startStack({ port: 0, dataDir });
    const { idToken } = await signIn(first, 'alice');
    const { identityId, credentials } = await awsSession(first, idToken);
    const Key = { pk: { S: identityId }, sk: { S: 'kept' } };
    await dynamoClient(first, credentials).send(new PutItemCommand({ TableName: 'ExtensionDatasets', Item: { ...Key, value: { S: 'still here' } } }));
    await first.close();

    // Same port, hence same issuer: the ID token stays valid as the signing key was kept.
    const second = await startStack({ port: Number(new URL(first.url).port), dataDir });
    try {
      const { Item } = await dynamoClient(second, credentials).send(new GetItemCommand({ TableName: 'ExtensionDatasets', Key }));
      expect(Item?.['value']).toEqual({ S: 'still here' });
      expect((await awsSession(second, idToken)).identityId).toBe(identityId);
    } finally {
      await second.close();
    }
  });

  it('writes nothing to disk in memory mode', async () => {
    const stack = await startStack({ port: 0, dataDir, memory: true });
    const { identityId, credentials } = await awsSession(stack, (await signIn(stack, 'alice')).idToken);
    await dynamoClient(stack, credentials).send(
      new PutItemCommand({ TableName: 'ExtensionDatasets', Item: { pk: { S: identityId }, sk: { S: 'x' } } }),
    );
    await stack.close();
    expect(await readdir(dataDir)).toEqual([]);
  });
});
