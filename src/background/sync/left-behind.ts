// What a person who signed out leaves on this browser: their datasets in storage.local, kept for their next
// sign-in (nobody else's sign-in opens them: auth/identity-ids.ts). On a shared computer they may take them
// away. Only the person whose sign-out is the last thing that happened here can (nobody has signed in since),
// and only what has reached the server goes: edits not yet synced exist nowhere else, so while one waits,
// nothing is removed.
import type { RememberedIdentity } from '../../shared/auth-records';
import { recordCounts, type LeftBehind } from '../../shared/dataset';
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { Settings } from '../../shared/settings';
import { forgetIdentityId, keepIdentityMoves, lastSignedOutIdentity, sameKey } from '../auth/identity-ids';
import { storedDatasetNames } from './moved-identity';
import type { Context } from '../platform/context';
import { LOCKS } from '../platform/locks';

interface Found {
  settings: Settings;
  identity: RememberedIdentity;
  /** Theirs, and those of an identity Cognito replaced with theirs not yet taken in (moved-identity.ts). */
  stores: Array<{ identityId: string; name: string }>;
  summary: LeftBehind;
}

const NOTHING: LeftBehind = { datasets: 0, records: 0, pending: 0 };

/** `everyKey`: also the datasets stored and never listed (see removeLeftBehind), found by reading all of storage.local. */
async function find(ctx: Context, everyKey = false): Promise<Found | undefined> {
  const settings = await ctx.items.settings.get();
  const identity = settings && (await lastSignedOutIdentity(ctx, settings));
  if (!identity) return undefined;
  const { identityId } = identity;
  // Where the worker keeps the names of a person's datasets (as the list of datasets reads them), not a read of
  // all of storage.local, which holds every person's datasets.
  const choice = await ctx.items.datasetChoice(identityId).get();
  const known = new Set([settings.datasetName, ...((await ctx.items.datasetNames(identityId).get()) ?? [])]);
  if (choice) for (const name of [choice.name, choice.defaultName]) known.add(name);
  if (everyKey) {
    for (const name of await storedDatasetNames(ctx, identityId)) known.add(name);
  }
  const candidates = [...known].map((name) => ({ identityId, name }));
  for (const move of (await ctx.items.identityMoves.get()) ?? []) {
    if (move.into !== identityId || !sameKey(move, identity)) continue;
    for (const name of await storedDatasetNames(ctx, move.from)) candidates.push({ identityId: move.from, name });
  }
  const summary: LeftBehind = { datasets: 0, records: 0, pending: 0 };
  const stores: Found['stores'] = [];
  for (const store of candidates) {
    const dataset = await ctx.items.dataset(store.identityId, store.name).get();
    if (!dataset) continue;
    stores.push(store);
    const counts = recordCounts(dataset);
    summary.datasets += 1;
    summary.records += counts.records;
    summary.pending += counts.pendingCount;
  }
  return { settings, identity, stores, summary };
}

/**
 * The datasets the person who signed out last left here; undefined when they hold no record and no edit to
 * sync, or when someone has signed in since.
 */
export async function leftBehind(ctx: Context): Promise<LeftBehind | undefined> {
  const found = await find(ctx);
  return found && (found.summary.records > 0 || found.summary.pending > 0) ? found.summary : undefined;
}

/**
 * Removes them: each dataset with its first screen, the list of its names, the dataset chosen, and the
 * remembered identity with its email. The sign-out mark stays: it keeps this person from being signed in
 * silently, and their next sign-in asking for their password. Refused (INVALID_INPUT) while an edit waits to sync.
 */
export async function removeLeftBehind(ctx: Context): Promise<LeftBehind> {
  // A dataset stored and never listed (a worker stopped between an edit and its listing) goes too: once the
  // identity is forgotten, nothing would find it again. A read of all of storage.local, at this rare moment only.
  const found = await find(ctx, true);
  if (!found) return NOTHING;
  const { settings, identity, stores, summary } = found;
  const refused = (): AppError => new AppError('INVALID_INPUT', t('errorLeftBehindPending', String(summary.pending)));
  if (summary.pending > 0) throw refused();
  for (const { identityId, name } of stores) {
    const dataset = ctx.items.dataset(identityId, name);
    // A sync that began before the sign-out may still be writing this dataset: it ends first (its lock).
    const removed = await ctx.locks.request(LOCKS.sync(identityId, name), () =>
      ctx.locks.request(LOCKS.store(dataset.key), async () => {
        // Checked again where it counts: someone may have signed in meanwhile, or that sync left an edit.
        if ((await lastSignedOutIdentity(ctx, settings))?.identityId !== identity.identityId) return false;
        if ((await dataset.get())?.records.some((record) => record.pending)) throw refused();
        await dataset.remove();
        return true;
      }),
    );
    // Someone signed in since the notice was shown: nothing here is the last signed-out person's to remove now.
    if (!removed) return NOTHING;
  }
  for (const identityId of new Set([identity.identityId, ...stores.map((store) => store.identityId)])) {
    await ctx.items.datasetNames(identityId).remove();
    await ctx.items.datasetChoice(identityId).remove();
  }
  // Under the lock of every write of the remembered identities (credentials/provider.ts), unless someone signed
  // in meanwhile after all.
  await ctx.locks.request(LOCKS.credentials, async () => {
    if ((await lastSignedOutIdentity(ctx, settings))?.identityId !== identity.identityId) return;
    await forgetIdentityId(ctx, identity);
    // Nothing is left here to take into their identity.
    await keepIdentityMoves(ctx, (move) => move.into !== identity.identityId);
  });
  return summary;
}
