// Two identities merged (a person links a second sign-in): Cognito Identity moves the merged identity's logins to
// the surviving one and refuses the merged one from then on, as AWS does
// (https://github.com/aws-amplify/amplify-js/issues/6616); Cognito Sync keeps its datasets under the surviving one.
import { GetCredentialsForIdentityCommand, GetIdCommand, GetOpenIdTokenCommand } from '@aws-sdk/client-cognito-identity';
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { ListDatasetsCommand, ListRecordsCommand, UpdateRecordsCommand } from '@aws-sdk/client-cognito-sync';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { decodeJwt } from 'jose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import type { Stack, StackOptions } from '../../stack/index';
import { awsSession, cognitoClient, cognitoSyncClient, dynamoClient, loginsKey } from './support/aws-clients';
import type { AwsCredentials } from './support/aws-clients';
import { startForeignIssuer } from './support/foreign-issuer';
import type { ForeignIssuer } from './support/foreign-issuer';
import { signIn } from './support/oidc-client';

interface Person {
  logins: Record<string, string>;
  identityId: string;
  credentials: AwsCredentials;
}

let foreign: ForeignIssuer;
let dataDir: string;
let stack: Stack;
/** Alice and bob sign in at the stack's provider, carol at another one the pool trusts. */
let alice: Person;
let bob: Person;
let carol: Person;

const options = (): StackOptions => ({ dataDir, allowClassicFlow: true, trust: [{ issuer: foreign.issuer, clientIds: [foreign.clientId] }] });

async function person(idToken: string, issuer: string): Promise<Person> {
  return { logins: { [loginsKey(issuer)]: idToken }, ...(await awsSession(stack, idToken, issuer)) };
}

beforeAll(async () => {
  foreign = await startForeignIssuer();
});

afterAll(async () => {
  await foreign.close();
});

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-stack-'));
  stack = await startStack({ ...options(), port: 0 });
  alice = await person((await signIn(stack, 'alice')).idToken, stack.config.issuer);
  bob = await person((await signIn(stack, 'bob')).idToken, stack.config.issuer);
  carol = await person(await foreign.sign(), foreign.issuer);
});

afterEach(async () => {
  await stack.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The admin route: its status and what it answered. */
async function merge(from: string, into: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${stack.url}/_stack/cognito-sync/merge-identities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, into }),
  });
  return { status: response.status, body: await response.json() };
}

/** What Cognito Identity answers, as `${name}: ${message}`, or the identity id it answered. */
async function cognito(call: (client: CognitoIdentityClient) => Promise<{ IdentityId?: string | undefined }>): Promise<string> {
  const client = cognitoClient(stack);
  try {
    return (await call(client)).IdentityId ?? 'no identity id';
  } catch (error) {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    throw error;
  } finally {
    client.destroy();
  }
}

const getId = (who: Person) =>
  cognito((client) => client.send(new GetIdCommand({ IdentityPoolId: stack.config.identityPoolId, Logins: who.logins })));
const credentialsFor = (identityId: string, who: Person) =>
  cognito((client) => client.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: who.logins })));
const openIdTokenFor = (identityId: string, who: Person) =>
  cognito((client) => client.send(new GetOpenIdTokenCommand({ IdentityId: identityId, Logins: who.logins })));
const forbidden = (identityId: string) => `NotAuthorizedException: Access to Identity '${identityId}' is forbidden.`;

/** Bob's own dataset `name` at Cognito Sync, one record in it. */
async function bobWrites(name: string): Promise<void> {
  const client = cognitoSyncClient(stack, bob.credentials);
  const at = { IdentityPoolId: stack.config.identityPoolId, IdentityId: bob.identityId, DatasetName: name };
  try {
    const { SyncSessionToken } = await client.send(new ListRecordsCommand(at));
    await client.send(
      new UpdateRecordsCommand({
        ...at,
        SyncSessionToken,
        RecordPatches: [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 0, DeviceLastModifiedDate: new Date() }],
      }),
    );
  } finally {
    client.destroy();
  }
}

async function bobsDatasets(): Promise<string[]> {
  const client = cognitoSyncClient(stack, bob.credentials);
  try {
    const { Datasets } = await client.send(new ListDatasetsCommand({ IdentityPoolId: stack.config.identityPoolId, IdentityId: bob.identityId }));
    return (Datasets ?? []).map((dataset) => dataset.DatasetName ?? '');
  } finally {
    client.destroy();
  }
}

/** What AWS answers once bob's identity was merged into alice's. */
async function expectMerged(): Promise<void> {
  // The merged identity is disabled: its own login, still valid, gets nothing for it.
  expect(await credentialsFor(bob.identityId, bob)).toBe(forbidden(bob.identityId));
  expect(await openIdTokenFor(bob.identityId, bob)).toBe(forbidden(bob.identityId));
  // Bob's login now names alice's identity, which gives credentials for it.
  expect(await getId(bob)).toBe(alice.identityId);
  expect(await credentialsFor(alice.identityId, bob)).toBe(alice.identityId);
  // Alice's own login goes on as before.
  expect(await getId(alice)).toBe(alice.identityId);
  expect(await credentialsFor(alice.identityId, alice)).toBe(alice.identityId);
}

describe('an identity merged into another', () => {
  it('is refused even with its own valid login; that login answers the surviving identity, whose own still works', async () => {
    expect(await credentialsFor(bob.identityId, bob)).toBe(bob.identityId);
    expect(await merge(bob.identityId, alice.identityId)).toEqual({ status: 200, body: { merged: [] } });
    await expectMerged();
  });

  it("names the providers of both sign-ins in the surviving identity's tokens, each once", async () => {
    await stack.mergeIdentities(bob.identityId, alice.identityId);
    await stack.mergeIdentities(carol.identityId, alice.identityId);
    expect(await getId(carol)).toBe(alice.identityId);
    const client = cognitoClient(stack);
    try {
      const { Token } = await client.send(new GetOpenIdTokenCommand({ IdentityId: alice.identityId, Logins: carol.logins }));
      expect(decodeJwt(Token ?? '')).toMatchObject({
        sub: alice.identityId,
        amr: ['authenticated', loginsKey(stack.config.issuer), loginsKey(foreign.issuer)],
      });
    } finally {
      client.destroy();
    }
  });

  it('keeps the credentials issued to it before, until they expire: STS credentials cannot be recalled', async () => {
    await stack.mergeIdentities(bob.identityId, alice.identityId);
    const db = dynamoClient(stack, bob.credentials);
    try {
      const Key = { pk: { S: bob.identityId }, sk: { S: 'before the merge' } };
      await db.send(new PutItemCommand({ TableName: stack.config.tableName, Item: Key }));
      expect((await db.send(new GetItemCommand({ TableName: stack.config.tableName, Key }))).Item).toEqual(Key);
    } finally {
      db.destroy();
    }
  });

  it('stays merged across a restart with --data', async () => {
    await bobWrites('Kept');
    expect(await merge(bob.identityId, alice.identityId)).toEqual({ status: 200, body: { merged: [`Kept.${bob.identityId}`] } });
    await stack.close();
    // Same port, hence same issuer: the ID tokens stay valid as the signing key was kept.
    stack = await startStack({ ...options(), port: Number(new URL(stack.url).port) });
    await expectMerged();
  });

  it('merged again into the same identity: nothing more at Cognito Identity, its newer datasets move', async () => {
    await stack.mergeIdentities(bob.identityId, alice.identityId);
    // Written with the credentials bob had before the merge, which stay valid.
    await bobWrites('Later');
    expect(await merge(bob.identityId, alice.identityId)).toEqual({ status: 200, body: { merged: [`Later.${bob.identityId}`] } });
    await expectMerged();
  });
});

describe('a merge refused', () => {
  const unknown = 'us-east-1:00000000-0000-4000-8000-000000000000';

  /** Nothing changed: bob still has his identity, his login and his datasets. */
  async function expectUnmerged(): Promise<void> {
    expect(await getId(bob)).toBe(bob.identityId);
    expect(await credentialsFor(bob.identityId, bob)).toBe(bob.identityId);
    expect(await bobsDatasets()).toEqual(['Mine']);
  }

  it('for an identity the stack never answered, on either side: 400 with why, and nothing moved', async () => {
    await bobWrites('Mine');
    expect(await merge(bob.identityId, unknown)).toEqual({
      status: 400,
      body: { error: `Identity '${unknown}' not found: the stack merges only identities GetId has answered` },
    });
    expect(await merge(unknown, bob.identityId)).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining(`Identity '${unknown}' not found`) },
    });
    await expect(stack.mergeIdentities(bob.identityId, unknown)).rejects.toThrow(`Identity '${unknown}' not found`);
    await expectUnmerged();
  });

  it('for the same identity twice', async () => {
    await bobWrites('Mine');
    expect((await merge(bob.identityId, bob.identityId)).status).toBe(400);
    await expect(stack.mergeIdentities(bob.identityId, bob.identityId)).rejects.toThrow(
      `An identity cannot be merged into itself: '${bob.identityId}'`,
    );
    await expectUnmerged();
  });

  it('into an identity merged itself, or of an identity merged into another already', async () => {
    await stack.mergeIdentities(bob.identityId, alice.identityId);
    expect(await merge(alice.identityId, bob.identityId)).toEqual({
      status: 400,
      body: { error: `Identity '${bob.identityId}' was merged into '${alice.identityId}': it cannot take another identity` },
    });
    expect(await merge(bob.identityId, carol.identityId)).toEqual({
      status: 400,
      body: { error: `Identity '${bob.identityId}' was merged into '${alice.identityId}' already` },
    });
    expect(await getId(carol)).toBe(carol.identityId);
    await expectMerged();
  });

  it('by Cognito Sync (a merged name over 128 characters): Cognito Identity is left as it was too', async () => {
    const long = 'L'.repeat(100);
    await bobWrites(long);
    expect(await merge(bob.identityId, alice.identityId)).toEqual({
      status: 400,
      body: { error: `Merged dataset name too long: ${long}.${bob.identityId}` },
    });
    expect(await getId(bob)).toBe(bob.identityId);
    expect(await credentialsFor(bob.identityId, bob)).toBe(bob.identityId);
    expect(await bobsDatasets()).toEqual([long]);
  });
});
