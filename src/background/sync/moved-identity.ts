// A Cognito identity replaced for a login: merged into another when two sign-ins were linked (Cognito then
// refuses the old id, "Access to Identity … is forbidden"), or deleted from the pool. The datasets this browser
// holds for the old identity are the same person's, with edits that may exist nowhere else. The credentials
// module records the move when GetId answers another identity (auth/identity-ids.ts, recordIdentityMove); each
// of those datasets is taken here into the new identity's dataset of the same name when that one syncs, as
// Cognito Sync takes a merged identity's datasets (merge.ts, mergeLinked: a key missing here is added, a key
// held on both sides with other values goes by the strategy), and then removed. Its removals are not carried:
// there is nothing of them to remove on the new identity's side. With DynamoDB this browser's copy is the one
// the new identity can reach: the table keeps the old identity's items under a key its role may not read.
import type { Settings } from '../../shared/settings';
import { datasetStoreKey } from '../../shared/storage';
import type { Context } from '../platform/context';
import { LOCKS, type LockManagerLike } from '../platform/locks';
import { createLocalStore } from './local-store';
import { mergeLinked } from './merge';
import type { RemoteRecord } from './remote';

export interface Carried {
  /** Records added or changed in the new identity's dataset. */
  merged: number;
  /** Nothing was carried: the dataset would pass its limits; the old identity's dataset stays here for a next try. */
  refused: boolean;
}

const NOTHING: Carried = { merged: 0, refused: false };

/** The identities whose datasets here are to go into `into`'s. */
export async function movedInto(ctx: Context, into: string): Promise<string[]> {
  return ((await ctx.items.identityMoves.get()) ?? []).filter((move) => move.into === into).map((move) => move.from);
}

/** Every dataset name `identityId` has in this browser: a read of all of storage.local, only when a move waits. */
export async function storedDatasetNames(ctx: Context, identityId: string): Promise<string[]> {
  const prefix = datasetStoreKey(identityId, '');
  return (await ctx.items.storedKeys()).filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
}

/**
 * Takes the dataset `datasetName` of each identity moved into `into` into `into`'s dataset of that name. Call with
 * that dataset's sync lock held; edits made meanwhile are kept (each write is one read-modify-write of the store).
 */
export async function carryMovedDataset(
  ctx: Context,
  locks: LockManagerLike,
  settings: Settings,
  into: string,
  datasetName: string,
): Promise<Carried> {
  const sources = await movedInto(ctx, into);
  if (sources.length === 0) return NOTHING;
  const carried = { ...NOTHING };
  for (const from of sources) {
    const old = ctx.items.dataset(from, datasetName);
    const outcome = await locks.request(LOCKS.store(old.key), async (): Promise<Carried> => {
      const held = await old.get();
      if (!held) return NOTHING;
      const records: RemoteRecord[] = held.records.flatMap((record) =>
        record.value === null
          ? []
          : [{ key: record.key, value: record.value, syncCount: record.syncCount, deviceModified: record.modifiedAt, deviceId: '' }],
      );
      let merged = 0;
      let refused = false;
      await createLocalStore(ctx.items.dataset(into, datasetName), locks).update((current) => {
        const result = mergeLinked(current, records, settings.conflictStrategy, ctx.now());
        if (!result) {
          refused = true;
          return undefined;
        }
        merged = result.merged;
        return result.dataset;
      });
      if (refused) return { merged: 0, refused };
      await old.remove();
      return { merged, refused };
    });
    carried.merged += outcome.merged;
    carried.refused ||= outcome.refused;
    await forgetWhenEmpty(ctx, locks, from, into);
  }
  if (carried.merged > 0) {
    const names = ctx.items.datasetNames(into);
    await locks.request(LOCKS.store(names.key), async () => {
      const current = (await names.get()) ?? [];
      if (!current.includes(datasetName)) await names.set([...current, datasetName]);
    });
  }
  return carried;
}

/** Once `from` holds no dataset here, its list of names, its choice and the move go. */
async function forgetWhenEmpty(ctx: Context, locks: LockManagerLike, from: string, into: string): Promise<void> {
  if ((await storedDatasetNames(ctx, from)).length > 0) return;
  const choice = ctx.items.datasetChoice(from);
  const theirs = await choice.get();
  // The dataset the person had open goes on being the one open, unless they chose one for the new identity.
  const mine = ctx.items.datasetChoice(into);
  if (theirs) {
    await locks.request(LOCKS.store(mine.key), async () => {
      if (!(await mine.get())) await mine.set(theirs);
    });
  }
  await choice.remove();
  await ctx.items.datasetNames(from).remove();
  // Under the lock of every write of the remembered identities and their moves (credentials/provider.ts).
  await locks.request(LOCKS.credentials, async () => {
    const moves = (await ctx.items.identityMoves.get()) ?? [];
    const left = moves.filter((move) => !(move.from === from && move.into === into));
    if (left.length === 0) await ctx.items.identityMoves.remove();
    else if (left.length < moves.length) await ctx.items.identityMoves.set(left);
  });
}
