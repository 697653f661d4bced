// What a person who signed out leaves on this browser: their datasets in storage.local, kept for their next
// sign-in (nobody else's sign-in opens them: auth/identity-ids.ts). On a shared computer they may take them
// away. Only the person whose sign-out is the last thing that happened here can (nobody has signed in since),
// and only what has reached the server goes: edits not yet synced exist nowhere else, so while there are any,
// nothing is removed.
import type { LeftBehind } from '../../shared/dataset';
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import { forgetIdentityId, lastSignedOutIdentity } from '../auth/identity-ids';
import type { Context } from '../platform/context';
import { LOCKS } from '../platform/locks';

interface Found {
  identity: NonNullable<Awaited<ReturnType<typeof lastSignedOutIdentity>>>;
  names: string[];
  summary: LeftBehind;
}

async function find(ctx: Context): Promise<Found | undefined> {
  const settings = await ctx.items.settings.get();
  const identity = settings && (await lastSignedOutIdentity(ctx, settings));
  if (!identity) return undefined;
  const names = await ctx.items.storedDatasetNames(identity.identityId);
  const summary: LeftBehind = { datasets: 0, records: 0, pending: 0 };
  for (const name of names) {
    const records = (await ctx.items.dataset(identity.identityId, name).get())?.records ?? [];
    summary.datasets += 1;
    summary.records += records.filter((record) => record.value !== null).length;
    summary.pending += records.filter((record) => record.pending).length;
  }
  return { identity, names, summary };
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
  const found = await find(ctx);
  if (!found) return { datasets: 0, records: 0, pending: 0 };
  const { identity, names, summary } = found;
  if (summary.pending > 0) throw new AppError('INVALID_INPUT', t('errorLeftBehindPending', String(summary.pending)));
  for (const name of names) {
    const dataset = ctx.items.dataset(identity.identityId, name);
    await ctx.locks.request(LOCKS.store(dataset.key), async () => {
      // Nothing edits a signed-out person's dataset; checked again all the same, where it counts.
      if ((await dataset.get())?.records.some((record) => record.pending)) {
        throw new AppError('INVALID_INPUT', t('errorLeftBehindPending', String(summary.pending)));
      }
      await dataset.remove();
    });
  }
  await ctx.items.datasetNames(identity.identityId).remove();
  await ctx.items.datasetChoice(identity.identityId).remove();
  await forgetIdentityId(ctx, identity);
  return summary;
}
