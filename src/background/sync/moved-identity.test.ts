import { describe, expect, it } from 'vitest';
import type { StoredDataset, StoredRecord } from '../../shared/dataset';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { authContext, newProfile } from '../../../test/support/auth-context';
import { recordIdentityMove } from '../auth/identity-ids';
import { carryMovedDataset, movedInto } from './moved-identity';

const settings: Settings = {
  ...DEFAULT_SETTINGS,
  domain: 'tenant.auth0.com',
  clientId: 'client',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
};
const OLD = 'eu-west-1:00000000-0000-4000-8000-000000000001';
const NEW = 'eu-west-1:00000000-0000-4000-8000-000000000002';

const record = (key: string, value: string | null, pending: boolean, modifiedAt = 1): StoredRecord => ({
  key,
  value,
  syncCount: pending ? 0 : 1,
  modifiedAt,
  pending,
});
const dataset = (...records: StoredRecord[]): StoredDataset => ({ version: 1, syncCount: 1, records });

async function moved() {
  const profile = newProfile();
  const ctx = authContext(profile);
  await ctx.items.settings.set(settings);
  await ctx.items
    .dataset(OLD, 'MainDataset')
    .set(dataset(record('city', 'Oxford', false), record('draft', 'typed offline', true), record('gone', null, true)));
  await ctx.items.dataset(OLD, 'Notes').set(dataset(record('n', '1', true)));
  await ctx.items.datasetNames(OLD).set(['MainDataset', 'Notes']);
  await ctx.items.datasetChoice(OLD).set({ name: 'Notes', defaultName: 'MainDataset' });
  await recordIdentityMove(ctx, OLD, NEW);
  return { ctx, local: profile.local };
}

const values = (stored: StoredDataset | undefined) =>
  Object.fromEntries((stored?.records ?? []).map((r) => [r.key, { value: r.value, pending: r.pending }]));

describe('the datasets of an identity Cognito replaced for the same login', () => {
  it('go into the new identity’s, as edits to push, one dataset per sync; then the old identity is forgotten here', async () => {
    const { ctx, local } = await moved();
    await ctx.items.dataset(NEW, 'MainDataset').set(dataset(record('city', 'Oxford', false), record('pet', 'cat', false)));

    expect(await carryMovedDataset(ctx, ctx.locks, settings, NEW, 'MainDataset')).toEqual({ merged: 1, refused: false });
    // The edit typed offline is pending in the new identity's dataset; a record held on both sides is not an edit;
    // the removal is not carried (nothing of it is on the new side).
    expect(values(await ctx.items.dataset(NEW, 'MainDataset').get())).toEqual({
      city: { value: 'Oxford', pending: false },
      pet: { value: 'cat', pending: false },
      draft: { value: 'typed offline', pending: true },
    });
    expect(await ctx.items.dataset(OLD, 'MainDataset').get()).toBeUndefined();
    expect(await ctx.items.firstScreen(OLD, 'MainDataset').get()).toBeUndefined();
    // Notes waits for its own sync: the move stays.
    expect(await movedInto(ctx, NEW)).toEqual([OLD]);

    expect(await carryMovedDataset(ctx, ctx.locks, settings, NEW, 'Notes')).toEqual({ merged: 1, refused: false });
    expect(values(await ctx.items.dataset(NEW, 'Notes').get())).toEqual({ n: { value: '1', pending: true } });
    expect(await ctx.items.datasetNames(NEW).get()).toEqual(['MainDataset', 'Notes']);
    // The dataset the person had open stays the one open.
    expect(await ctx.items.datasetChoice(NEW).get()).toEqual({ name: 'Notes', defaultName: 'MainDataset' });
    expect(await movedInto(ctx, NEW)).toEqual([]);
    expect(Object.keys(await local.get(null)).filter((key) => key.includes(OLD))).toEqual([]);
  });

  it('a key held on both sides with other values goes by the strategy (the later edit wins by default)', async () => {
    const { ctx } = await moved();
    await ctx.items.dataset(NEW, 'MainDataset').set(dataset(record('draft', 'older', false, 0), record('city', 'Paris', false, 5)));
    expect(await carryMovedDataset(ctx, ctx.locks, settings, NEW, 'MainDataset')).toEqual({ merged: 1, refused: false });
    expect(values(await ctx.items.dataset(NEW, 'MainDataset').get())).toEqual({
      draft: { value: 'typed offline', pending: true },
      city: { value: 'Paris', pending: false },
    });
  });

  it('past the dataset’s limits: nothing is taken, and the old identity’s dataset stays for a next try', async () => {
    const { ctx } = await moved();
    const full = Array.from({ length: 1024 }, (_, i) => record(`k${i}`, 'v', false));
    await ctx.items.dataset(NEW, 'MainDataset').set(dataset(...full));
    expect(await carryMovedDataset(ctx, ctx.locks, settings, NEW, 'MainDataset')).toEqual({ merged: 0, refused: true });
    expect((await ctx.items.dataset(NEW, 'MainDataset').get())?.records).toHaveLength(1024);
    expect(values(await ctx.items.dataset(OLD, 'MainDataset').get())).toMatchObject({ draft: { value: 'typed offline', pending: true } });
    expect(await movedInto(ctx, NEW)).toEqual([OLD]);
  });

  it('does nothing, and reads nothing more, when no identity moved', async () => {
    const profile = newProfile();
    const ctx = authContext(profile);
    await ctx.items.dataset(NEW, 'MainDataset').set(dataset(record('a', '1', false)));
    expect(await carryMovedDataset(ctx, ctx.locks, settings, NEW, 'MainDataset')).toEqual({ merged: 0, refused: false });
    expect(values(await ctx.items.dataset(NEW, 'MainDataset').get())).toEqual({ a: { value: '1', pending: false } });
  });
});
