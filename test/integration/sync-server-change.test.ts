// The table or the DynamoDB endpoint changes in the settings, and the identity does not: the local
// dataset stays, but its sync counts belong to the old server. Two stacks stand for two servers; the
// second trusts the first's OpenID provider, so alice has the same identity id at both (ids derive
// from pool, provider and subject). Each stack signs its own credentials, where one AWS account's
// credentials would serve both endpoints: the device's identity hands out the ones of its endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { createDevice, sharedClock, type Device } from '../support/sync-device';
import { signInAtStack, type StackIdentity } from '../support/stack-identity';

let first: Stack;
let second: Stack;
let aliceAtFirst: StackIdentity;
let aliceAtSecond: StackIdentity;

beforeAll(async () => {
  first = await startStack({ port: 0, memory: true });
  second = await startStack({ port: 0, memory: true, trust: [{ issuer: first.config.issuer, clientIds: [first.config.clientId] }] });
  [aliceAtFirst, aliceAtSecond] = await Promise.all([signInAtStack(first, 'alice'), signInAtStack(second, 'alice', first)]);
});

afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
});

/** A device of alice whose credentials follow the DynamoDB endpoint its settings name. */
async function roamingDevice(dataset: string, now: () => number): Promise<Device> {
  let device: Device | undefined;
  const identity: StackIdentity = {
    identityId: aliceAtFirst.identityId,
    region: aliceAtFirst.region,
    async credentials() {
      return (await current()).credentials();
    },
    async storedKeyId() {
      return (await current()).storedKeyId();
    },
    async replaceExpired(refused) {
      return (await current()).replaceExpired(refused);
    },
  };
  const current = async (): Promise<StackIdentity> =>
    (await device?.settings())?.dynamodbEndpoint === second.config.endpoints.dynamodb ? aliceAtSecond : aliceAtFirst;
  device = await createDevice(first, { identity, dataset, now });
  return device;
}

describe('a change of DynamoDB endpoint in the settings', () => {
  it('alice has one identity id at both servers', () => {
    expect(aliceAtSecond.identityId).toBe(aliceAtFirst.identityId);
  });

  it('merges what this device holds with what the new server holds, both ways', async () => {
    const now = sharedClock();
    const laptop = await roamingDevice('Moving', now);
    await laptop.service.put('from-laptop', 'synced with the first server');
    await laptop.service.sync();

    // Another browser of alice already syncs with the second server, as far as the laptop's count.
    const desktop = await createDevice(second, { identity: aliceAtSecond, dataset: 'Moving', now });
    await desktop.service.put('from-desktop', 'on the second server');
    await desktop.service.sync();
    expect((await laptop.stored())?.syncCount).toBe((await desktop.stored())?.syncCount);

    await laptop.setSettings({ dynamodbEndpoint: second.config.endpoints.dynamodb });
    expect(await laptop.service.sync()).toMatchObject({ pulled: 1, pushed: 1, conflicts: [] });
    const both = { 'from-laptop': 'synced with the first server', 'from-desktop': 'on the second server' };
    expect(await laptop.values()).toEqual(both);
    expect((await laptop.stored())?.remote).toEqual({ endpoint: second.config.endpoints.dynamodb, tableName: second.config.tableName });

    expect(await desktop.service.sync()).toMatchObject({ pulled: 1 });
    expect(await desktop.values()).toEqual(both);
  });

  it("keeps the new server's newer values over stale copies here, and takes a removal made here to it", async () => {
    const now = sharedClock();
    const laptop = await roamingDevice('Stale', now);
    await laptop.setSettings({ conflictStrategy: 'deviceWins' });
    await laptop.service.put('k', 'old, synced with the first server');
    await laptop.service.put('gone', 'x');
    await laptop.service.sync();

    const desktop = await createDevice(second, { identity: aliceAtSecond, dataset: 'Stale', now, strategy: 'deviceWins' });
    await desktop.service.put('k', 'newer, on the second server');
    await desktop.service.put('gone', 'x, on the second server');
    await desktop.service.sync();
    await laptop.service.remove('gone');

    await laptop.setSettings({ dynamodbEndpoint: second.config.endpoints.dynamodb });
    // The removal is an edit here (the strategy applies); the stale copy of k was not edited here.
    expect(await laptop.service.sync()).toMatchObject({ pulled: 1, pushed: 1, conflicts: [{ key: 'gone', winner: 'local' }] });
    expect(await laptop.values()).toEqual({ k: 'newer, on the second server' });
    await desktop.service.sync();
    expect(await desktop.values()).toEqual({ k: 'newer, on the second server' });
  });

  it('uploads everything to a new, empty server, and stays in step there', async () => {
    const now = sharedClock();
    const laptop = await roamingDevice('Fresh', now);
    await laptop.service.put('a', '1');
    await laptop.service.put('b', '2');
    await laptop.service.sync();
    await laptop.service.remove('b');
    await laptop.service.sync();

    await laptop.setSettings({ dynamodbEndpoint: second.config.endpoints.dynamodb });
    expect(await laptop.service.sync()).toMatchObject({ pushed: 1, pulled: 0 });
    expect(await laptop.service.sync()).toMatchObject({ pushed: 0, pulled: 0 });
    const desktop = await createDevice(second, { identity: aliceAtSecond, dataset: 'Fresh', now });
    await desktop.service.sync();
    expect(await desktop.values()).toEqual({ a: '1' });
  });
});
