import { describe, expect, it } from 'vitest';
import type { StoredDataset } from '../../shared/dataset';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { authContext, newProfile } from '../../../test/support/auth-context';
import { LOCKS } from '../platform/locks';
import { leftBehind, removeLeftBehind } from './left-behind';

const settings: Settings = {
  ...DEFAULT_SETTINGS,
  domain: 'tenant.auth0.com',
  clientId: 'client',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
};
const person = (sub: string) => ({
  identityPoolId: settings.identityPoolId,
  provider: 'tenant.auth0.com',
  sub,
  identityId: `eu-west-1:${sub}`,
  usedAt: 1,
  email: `${sub}@example.com`,
});
const alice = person('alice');
const bob = person('bob');

function dataset(pending: boolean): StoredDataset {
  return {
    version: 1,
    syncCount: 2,
    records: [
      { key: 'city', value: 'Oxford', syncCount: 1, modifiedAt: 1, pending: false },
      { key: 'pet', value: 'cat', syncCount: 2, modifiedAt: 2, pending },
      { key: 'gone', value: null, syncCount: 2, modifiedAt: 3, pending: false },
    ],
  };
}

/** Alice signed out last, leaving two datasets; Bob, before her, one. */
async function sharedComputer(alicePending = false) {
  const profile = newProfile();
  const ctx = authContext(profile);
  await ctx.items.settings.set(settings);
  await ctx.items.identityIds.set([alice, bob]);
  await ctx.items.signOuts.set([
    { provider: alice.provider, sub: 'alice', at: 2, last: true },
    { provider: bob.provider, sub: 'bob', at: 1 },
  ]);
  await ctx.items.dataset(alice.identityId, 'MainDataset').set(dataset(alicePending));
  await ctx.items.dataset(alice.identityId, 'Notes').set(dataset(false));
  await ctx.items.datasetNames(alice.identityId).set(['MainDataset', 'Notes']);
  await ctx.items.datasetChoice(alice.identityId).set({ name: 'Notes', defaultName: 'MainDataset' });
  await ctx.items.dataset(bob.identityId, 'MainDataset').set(dataset(true));
  // Stored and never listed (a worker stopped between an edit and its listing).
  await ctx.items.dataset(alice.identityId, 'Unlisted').set(dataset(false));
  return { ctx, local: profile.local };
}

describe('what the last person to sign out left on this browser', () => {
  it('is counted, then removed with everything of theirs, and nothing of anyone else', async () => {
    const { ctx, local } = await sharedComputer();
    expect(await leftBehind(ctx)).toEqual({ datasets: 2, records: 4, pending: 0 });

    expect(await removeLeftBehind(ctx)).toEqual({ datasets: 3, records: 6, pending: 0 });

    const keys = Object.keys(await local.get(null));
    expect(keys.filter((key) => key.includes(alice.identityId))).toEqual([]);
    expect(keys.filter((key) => key.includes(bob.identityId)).sort()).toEqual([
      `dataset/${bob.identityId}/MainDataset`,
      `firstScreen/${bob.identityId}/MainDataset`,
    ]);
    // Her email goes with her identity id; the mark stays, so no silent sign-in brings her back.
    expect(await ctx.items.identityIds.get()).toEqual([bob]);
    expect((await ctx.items.signOuts.get())?.[0]).toMatchObject({ sub: 'alice', last: true });
    expect(await leftBehind(ctx)).toBeUndefined();
  });

  it('is not removed while one of its edits has not reached the server, and the person is told what to do', async () => {
    const { ctx, local } = await sharedComputer(true);
    const before = await local.get(null);
    expect(await leftBehind(ctx)).toEqual({ datasets: 2, records: 4, pending: 1 });

    await expect(removeLeftBehind(ctx)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: '1 edit(s) have not reached the server yet, so nothing was removed. Sign in and sync first, then sign out and remove the records.',
    });
    expect(await local.get(null)).toEqual(before);
  });

  it('is nobody’s once someone has signed in since, or when nobody signed out', async () => {
    const { ctx, local } = await sharedComputer();
    await ctx.items.signOuts.set([{ provider: alice.provider, sub: 'alice', at: 2 }]);
    const before = await local.get(null);
    expect(await leftBehind(ctx)).toBeUndefined();
    expect(await removeLeftBehind(ctx)).toEqual({ datasets: 0, records: 0, pending: 0 });
    expect(await local.get(null)).toEqual(before);

    await ctx.items.signOuts.remove();
    expect(await leftBehind(ctx)).toBeUndefined();
  });

  it('waits for a sync of the dataset still running, and removes nothing once someone has signed in meanwhile', async () => {
    const { ctx } = await sharedComputer();
    let release = (): void => undefined;
    const sync = ctx.locks.request(LOCKS.sync(alice.identityId, 'MainDataset'), () => new Promise<void>((resolve) => (release = resolve)));
    const removal = removeLeftBehind(ctx);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await ctx.items.dataset(alice.identityId, 'MainDataset').get()).toBeDefined();
    // Alice signs in again while the sync runs: her sign-out is no longer the last thing that happened.
    await ctx.items.signOuts.set([{ provider: alice.provider, sub: 'alice', at: 2 }]);
    release();
    await sync;

    expect(await removal).toEqual({ datasets: 0, records: 0, pending: 0 });
    expect(await ctx.items.dataset(alice.identityId, 'MainDataset').get()).toBeDefined();
    expect(await ctx.items.dataset(alice.identityId, 'Notes').get()).toBeDefined();
    expect(await ctx.items.identityIds.get()).toEqual([alice, bob]);
  });

  it('includes what they held for an identity Cognito replaced with theirs, not yet taken in', async () => {
    const { ctx, local } = await sharedComputer();
    const old = 'eu-west-1:replaced';
    const { identityPoolId, provider, sub } = alice;
    await ctx.items.identityMoves.set([{ identityPoolId, provider, sub, from: old, into: alice.identityId }]);
    await ctx.items.dataset(old, 'MainDataset').set(dataset(false));
    expect(await leftBehind(ctx)).toEqual({ datasets: 3, records: 6, pending: 0 });
    await removeLeftBehind(ctx);
    expect(Object.keys(await local.get(null)).filter((key) => key.includes(old))).toEqual([]);
    expect(await ctx.items.identityMoves.get()).toBeUndefined();
  });
});
