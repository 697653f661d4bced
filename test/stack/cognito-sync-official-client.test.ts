// amazon-cognito-js, Amazon's own Cognito Sync client (written against the real service), run unchanged
// against the stack: where it and the stack disagree, the stack is wrong.
import { ListRecordsCommand, DeleteDatasetCommand } from '@aws-sdk/client-cognito-sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';
import { openCognitoSyncApp } from '../support/cognito-sync-app';
import { awsSession, cognitoSyncClient } from './support/aws-clients';
import type { AwsCredentials } from './support/aws-clients';
import { signIn } from './support/oidc-client';

let stack: Stack;
let alice: { identityId: string; credentials: AwsCredentials };
let bob: { identityId: string; credentials: AwsCredentials };
let datasets = 0;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
  alice = await awsSession(stack, (await signIn(stack, 'alice')).idToken);
  bob = await awsSession(stack, (await signIn(stack, 'bob')).idToken);
});

afterAll(async () => {
  await stack.close();
});

const nextDataset = (): string => `Official.${++datasets}`;

async function serverRecords(DatasetName: string): Promise<Record<string, string | null>> {
  const client = cognitoSyncClient(stack, alice.credentials);
  try {
    const { Records = [] } = await client.send(
      new ListRecordsCommand({ IdentityPoolId: stack.config.identityPoolId, IdentityId: alice.identityId, DatasetName, LastSyncCount: 0 }),
    );
    return Object.fromEntries(Records.map((record) => [record.Key ?? '', record.Value ?? null]));
  } finally {
    client.destroy();
  }
}

describe('amazon-cognito-js against the stack', () => {
  it('signs in through the stack Cognito as the same identity the extension gets', async () => {
    const app = await openCognitoSyncApp(stack, 'alice', nextDataset());
    expect(app.identityId).toBe(alice.identityId);
  });

  it('synchronize uploads what the app wrote, and a second device of the app downloads it', async () => {
    const name = nextDataset();
    const phone = await openCognitoSyncApp(stack, 'alice', name);
    await phone.put('value', 'from the phone');
    await phone.put('other', 'x');
    await phone.synchronize();
    expect(await serverRecords(name)).toEqual({ value: 'from the phone', other: 'x' });

    const tablet = await openCognitoSyncApp(stack, 'alice', name);
    await tablet.synchronize();
    expect(await tablet.values()).toEqual({ value: 'from the phone', other: 'x' });

    await tablet.put('value', 'from the tablet');
    await tablet.remove('other');
    await tablet.synchronize();
    await phone.synchronize();
    expect(await phone.get('value')).toBe('from the tablet');
    // The removal is on the server as a record without a value. (The manager itself then holds the
    // key as "": its Record reads a missing Value as '' — its quirk, not the service's answer.)
    expect(await serverRecords(name)).toEqual({ value: 'from the tablet', other: null });
  });

  it('a conflicting edit on two devices reaches the conflict callback, and both converge', async () => {
    const name = nextDataset();
    const phone = await openCognitoSyncApp(stack, 'alice', name);
    const tablet = await openCognitoSyncApp(stack, 'alice', name);
    await phone.put('value', 'base');
    await phone.synchronize();
    await tablet.synchronize();

    await phone.put('value', 'phone edit');
    await tablet.put('value', 'tablet edit');
    await phone.synchronize();
    const outcome = await tablet.synchronize({ policy: 'local' });
    expect(outcome.conflicts).toEqual(['value']);
    await phone.synchronize();
    expect(await tablet.values()).toEqual({ value: 'tablet edit' });
    expect(await phone.values()).toEqual({ value: 'tablet edit' });
    expect(await serverRecords(name)).toEqual({ value: 'tablet edit' });
  });

  it('a dataset deleted on the server reaches onDatasetDeleted on the next synchronize', async () => {
    const name = nextDataset();
    const phone = await openCognitoSyncApp(stack, 'alice', name);
    await phone.put('value', 'soon gone');
    await phone.synchronize();
    const client = cognitoSyncClient(stack, alice.credentials);
    await client.send(new DeleteDatasetCommand({ IdentityPoolId: stack.config.identityPoolId, IdentityId: alice.identityId, DatasetName: name }));
    client.destroy();

    // Declining the deletion cancels the sync, as the manager documents; the dataset stays deleted.
    await expect(phone.synchronize({ onDeleted: false })).rejects.toThrow('Cancelled due to .onDatasetDeleted result.');
    expect(await serverRecords(name)).toEqual({});
  });

  it('datasets of an identity merged into this one reach onDatasetsMerged, until the app deletes them', async () => {
    const name = nextDataset();
    const bobsPhone = await openCognitoSyncApp(stack, 'bob', name);
    await bobsPhone.put('value', 'from the other sign-in');
    await bobsPhone.synchronize();
    const phone = await openCognitoSyncApp(stack, 'alice', name);
    await phone.put('mine', 'x');
    await phone.synchronize();

    const merged = await stack.mergeIdentities(bob.identityId, alice.identityId);
    expect(merged).toEqual([`${name}.${bob.identityId}`]);
    const seen: string[][] = [];
    const decline = (names: string[]): boolean => {
      seen.push(names);
      return false;
    };
    const declined = phone.synchronize({ onMerged: decline });
    await expect(declined).rejects.toThrow('Cancelled due to .onDatasetsMerged result.');
    expect(seen).toEqual([merged]);
    expect(await serverRecords(merged[0] ?? '')).toEqual({ value: 'from the other sign-in' });

    // What the app does with them is its own affair; once deleted, the service names them no more.
    const client = cognitoSyncClient(stack, alice.credentials);
    await client.send(
      new DeleteDatasetCommand({ IdentityPoolId: stack.config.identityPoolId, IdentityId: alice.identityId, DatasetName: merged[0] }),
    );
    client.destroy();
    await phone.synchronize({ onMerged: decline });
    expect(seen).toHaveLength(1);
  });
});
