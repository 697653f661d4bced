import { describe, expect, it } from 'vitest';
import type { StoredDataset, StoredRecord } from '../../shared/dataset';
import { authContext, newProfile } from '../../../test/support/auth-context';
import { recordRefusedIdentity, settleIdentityMoves } from '../auth/identity-ids';
import { mergeCarried } from './merge';
import { carriedCopy, movedInto } from './moved-identity';

const POOL = 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef';
const login = { identityPoolId: POOL, provider: 'tenant.auth0.com', sub: 'bob' };
const OLD = 'eu-west-1:00000000-0000-4000-8000-000000000001';
const NEW = 'eu-west-1:00000000-0000-4000-8000-000000000002';
const LATER = 'eu-west-1:00000000-0000-4000-8000-000000000003';

const record = (key: string, value: string | null, pending: boolean, modifiedAt: number): StoredRecord => ({
  key,
  value,
  syncCount: pending ? 0 : 1,
  modifiedAt,
  pending,
});
const dataset = (...records: StoredRecord[]): StoredDataset => ({ version: 1, syncCount: 1, records });
const values = (stored: StoredDataset | undefined) =>
  Object.fromEntries((stored?.records ?? []).map((r) => [r.key, { value: r.value, pending: r.pending }]));

async function browser(signedIn: { sub: string; identityId: string }) {
  const profile = newProfile();
  const ctx = authContext(profile);
  await ctx.items.awsCredentials.set({
    ...login,
    sub: signedIn.sub,
    identityId: signedIn.identityId,
    accessKeyId: 'AKIA',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiresAt: Date.now() + 3_600_000,
    obtainedAt: Date.now(),
  });
  return { ctx, local: profile.local };
}

describe('where a refused identity’s datasets go', () => {
  it('to the identity the same login has next, also when GetId failed in between; a chain ends at the last', async () => {
    const { ctx } = await browser({ sub: 'bob', identityId: LATER });
    await recordRefusedIdentity(ctx, login, OLD);
    // GetId failed here: nothing is lost, the refusal waits for its answer.
    expect(await ctx.items.identityMoves.get()).toEqual([{ ...login, from: OLD }]);
    expect(await settleIdentityMoves(ctx, login, NEW)).toBe(true);
    // NEW is refused in turn before OLD's datasets were taken: both go to LATER.
    await recordRefusedIdentity(ctx, login, NEW);
    expect(await settleIdentityMoves(ctx, login, LATER)).toBe(true);
    expect(await movedInto(ctx, LATER)).toEqual([OLD, NEW]);
    expect(await settleIdentityMoves(ctx, login, LATER)).toBe(false);
  });

  it('nowhere when GetId answers the refused identity again (disabled, not moved)', async () => {
    const { ctx } = await browser({ sub: 'bob', identityId: OLD });
    await recordRefusedIdentity(ctx, login, OLD);
    expect(await settleIdentityMoves(ctx, login, OLD)).toBe(false);
    expect(await ctx.items.identityMoves.get()).toBeUndefined();
  });

  it('only ever to that login’s identity: another person signed in takes nothing', async () => {
    const { ctx } = await browser({ sub: 'alice', identityId: NEW });
    await recordRefusedIdentity(ctx, login, OLD);
    await settleIdentityMoves(ctx, login, NEW);
    await ctx.items.dataset(OLD, 'MainDataset').set(dataset(record('secret', 'bob’s', true, 1)));
    expect(await movedInto(ctx, NEW)).toEqual([]);
    expect(await carriedCopy(ctx, ctx.locks, NEW, 'MainDataset')).toBeUndefined();
  });

  it('is offered to the dataset’s sync, then the old copy, its names, its choice and the move go', async () => {
    const { ctx, local } = await browser({ sub: 'bob', identityId: NEW });
    await recordRefusedIdentity(ctx, login, OLD);
    await settleIdentityMoves(ctx, login, NEW);
    await ctx.items.dataset(OLD, 'MainDataset').set(dataset(record('draft', 'typed offline', true, 5)));
    await ctx.items.dataset(OLD, 'Notes').set(dataset(record('n', '1', true, 5)));
    await ctx.items.datasetNames(OLD).set(['MainDataset', 'Notes']);
    await ctx.items.datasetChoice(OLD).set({ name: 'Notes', defaultName: 'MainDataset' });

    const main = await carriedCopy(ctx, ctx.locks, NEW, 'MainDataset');
    expect(main?.records.map((r) => r.key)).toEqual(['draft']);
    await main?.taken();
    expect(await ctx.items.dataset(OLD, 'MainDataset').get()).toBeUndefined();
    expect(await movedInto(ctx, NEW)).toEqual([OLD]);

    await (await carriedCopy(ctx, ctx.locks, NEW, 'Notes'))?.taken();
    expect(await movedInto(ctx, NEW)).toEqual([]);
    expect(await ctx.items.datasetChoice(NEW).get()).toEqual({ name: 'Notes', defaultName: 'MainDataset' });
    expect(Object.keys(await local.get(null)).filter((key) => key.includes(OLD))).toEqual([]);
  });
});

describe('mergeCarried: the old copy met with what was just pulled', () => {
  const pulled = dataset(record('city', 'Paris', false, 20), record('gone', null, false, 20), record('same', 'x', false, 1));

  it('an edit not yet sent comes in as an edit; a synced record the server lacks comes back', () => {
    const result = mergeCarried(pulled, [record('draft', 'typed offline', true, 5), record('only-old', 'kept', false, 3)], 'lastWriterWins', 100);
    expect(result?.merged).toBe(2);
    expect(values(result?.dataset)).toMatchObject({ draft: { value: 'typed offline', pending: true }, 'only-old': { value: 'kept', pending: true } });
  });

  it('an older synced copy never overwrites a later version or a later removal made elsewhere', () => {
    const result = mergeCarried(
      pulled,
      [record('city', 'Oxford', false, 10), record('gone', 'back?', false, 10), record('same', 'x', false, 1)],
      'deviceWins',
      100,
    );
    expect(result?.merged).toBe(0);
    expect(values(result?.dataset)).toEqual(values(pulled));
  });

  it('an edit not yet sent meets the server’s version by the strategy, and an edit made here since by time', () => {
    const offline = record('city', 'Oxford', true, 10);
    expect(values(mergeCarried(pulled, [offline], 'lastWriterWins', 100)?.dataset).city?.value).toBe('Paris');
    expect(values(mergeCarried(pulled, [offline], 'deviceWins', 100)?.dataset).city?.value).toBe('Oxford');
    const typedSince = dataset(record('city', 'Rome', true, 50));
    expect(values(mergeCarried(typedSince, [offline], 'deviceWins', 100)?.dataset).city?.value).toBe('Rome');
    // A removal not yet sent is carried too.
    expect(values(mergeCarried(pulled, [record('same', null, true, 5)], 'lastWriterWins', 100)?.dataset).same).toEqual({
      value: null,
      pending: true,
    });
  });

  it('past the dataset’s limits takes nothing', () => {
    const full = dataset(...Array.from({ length: 1024 }, (_, i) => record(`k${i}`, 'v', false, 1)));
    expect(mergeCarried(full, [record('one-more', 'v', true, 5)], 'lastWriterWins', 100)).toBeUndefined();
  });
});
