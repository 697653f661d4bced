// A Cognito identity replaced for a login: merged into another when two sign-ins were linked (Cognito then
// refuses the old id, "Access to Identity … is forbidden"), or deleted from the pool. The datasets this browser
// holds for the old identity are the same person's, with edits that may exist nowhere else. The credentials
// module records the move, keyed by the login (auth/identity-ids.ts); each of those datasets is taken into the new
// identity's dataset of the same name by that dataset's next sync, just after its pull (engine.ts, merge.ts
// mergeCarried), and then removed here. With DynamoDB this browser's copy is the one the new identity can reach:
// the table keeps the old identity's items under a key its role may not read.
import type { StoredRecord } from '../../shared/dataset';
import { keepIdentityMoves, sameKey } from '../auth/identity-ids';
import type { Context } from '../platform/context';
import { LOCKS, type LockManagerLike } from '../platform/locks';
import type { CarriedCopy } from './engine';
import { datasetStoreKey } from '../../shared/storage';

/**
 * The identities whose datasets here go to `into`: moves of the login whose credentials this browser holds now,
 * for that very identity. A move of another login is never anyone else's to take.
 */
export async function movedInto(ctx: Context, into: string): Promise<string[]> {
  const moves = await ctx.items.identityMoves.get();
  if (!moves?.length) return [];
  const signedIn = await ctx.items.awsCredentials.get();
  if (!signedIn || signedIn.identityId !== into) return [];
  return moves.filter((move) => move.into === into && sameKey(move, signedIn)).map((move) => move.from);
}

/** Every dataset name `identityId` has in this browser: a read of all of storage.local, only while a move waits. */
export async function storedDatasetNames(ctx: Context, identityId: string): Promise<string[]> {
  const prefix = datasetStoreKey(identityId, '');
  return (await ctx.items.storedKeys()).filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
}

/**
 * What the identities moved into `into` hold here in their dataset `datasetName`, for that dataset's sync to take
 * in; undefined when they hold none. Call with the dataset's sync lock held.
 */
export async function carriedCopy(ctx: Context, locks: LockManagerLike, into: string, datasetName: string): Promise<CarriedCopy | undefined> {
  const sources = await movedInto(ctx, into);
  if (sources.length === 0) return undefined;
  const held: Array<{ from: string; records: readonly StoredRecord[] }> = [];
  for (const from of sources) {
    const dataset = await ctx.items.dataset(from, datasetName).get();
    if (dataset) held.push({ from, records: dataset.records });
    else await forgetWhenEmpty(ctx, locks, from, into);
  }
  if (held.length === 0) return undefined;
  return {
    records: held.flatMap(({ records }) => records),
    async taken() {
      for (const { from } of held) {
        const old = ctx.items.dataset(from, datasetName);
        await locks.request(LOCKS.store(old.key), () => old.remove());
        await forgetWhenEmpty(ctx, locks, from, into);
      }
    },
  };
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
  await locks.request(LOCKS.credentials, () => keepIdentityMoves(ctx, (move) => !(move.from === from && move.into === into)));
}
