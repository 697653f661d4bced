// Identity ids, one per (pool, provider, subject), remembered in storage.local across restarts: they are
// not secrets, and asking GetId again costs quota (25 requests/s per account). The dataset code opens the
// local store of the last identity with `rememberedIdentityId` while signed out or offline, unless that
// person signed out here.
import type { IdentityMove, RememberedIdentity } from '../../shared/auth-records';
import { issuerFromDomain, loginsKey, type Settings } from '../../shared/settings';
import type { Context } from '../platform/context';
import { mayResume } from './machine';

export interface IdentityKey {
  identityPoolId: string;
  /** The Logins key: the issuer without scheme or trailing slash. */
  provider: string;
  sub: string;
}

/** Enough for a browser shared by a few people; the least recently used go first. */
const MAX_REMEMBERED = 20;

/** Whether two records name the same login (pool, provider, subject). */
export function sameKey(entry: IdentityKey, key: IdentityKey): boolean {
  return entry.identityPoolId === key.identityPoolId && entry.provider === key.provider && entry.sub === key.sub;
}

export async function recallIdentityId(ctx: Context, key: IdentityKey): Promise<string | undefined> {
  return (await ctx.items.identityIds.get())?.find((entry) => sameKey(entry, key))?.identityId;
}

/** `email` (when the provider gave one) becomes the login hint of the silent sign-in at browser start. */
export async function rememberIdentityId(ctx: Context, key: IdentityKey, identityId: string, email?: string): Promise<void> {
  const others = ((await ctx.items.identityIds.get()) ?? []).filter((entry) => !sameKey(entry, key));
  const entry: RememberedIdentity = { ...key, identityId, usedAt: ctx.now() };
  if (email !== undefined) entry.email = email;
  const entries = [entry, ...others].slice(0, MAX_REMEMBERED);
  await ctx.items.identityIds.set(entries);
}

/**
 * Cognito refused `from`, the identity id this browser holds for the login `key` (merged into another, or
 * deleted): its datasets here go to the identity GetId answers next for that login (settleIdentityMoves).
 * Written before the id is forgotten, so that a GetId that fails now loses nothing.
 */
export async function recordRefusedIdentity(ctx: Context, key: IdentityKey, from: string): Promise<void> {
  const moves = (await ctx.items.identityMoves.get()) ?? [];
  if (moves.some((move) => sameKey(move, key) && move.from === from)) return;
  await ctx.items.identityMoves.set([...moves, { ...key, from }]);
}

/**
 * Cognito gave credentials for `identityId` to the login `key`: every identity refused for that login moves into
 * it (a move not yet carried out included: its datasets go to where the login's are now), unless it is that
 * identity (refused, then answered again: disabled, not moved). True when a move has a new destination.
 */
export async function settleIdentityMoves(ctx: Context, key: IdentityKey, identityId: string): Promise<boolean> {
  const moves = (await ctx.items.identityMoves.get()) ?? [];
  const mine = moves.filter((move) => sameKey(move, key));
  if (mine.every((move) => move.into === identityId)) return false;
  const settled = mine.filter((move) => move.from !== identityId).map((move) => ({ ...move, into: identityId }));
  await storeIdentityMoves(ctx, [...moves.filter((move) => !sameKey(move, key)), ...settled]);
  return settled.length > 0;
}

/** Keeps the moves that `keep` holds to (the others are done). Call with the credentials lock held. */
export async function keepIdentityMoves(ctx: Context, keep: (move: IdentityMove) => boolean): Promise<void> {
  const moves = (await ctx.items.identityMoves.get()) ?? [];
  const left = moves.filter(keep);
  if (left.length < moves.length) await storeIdentityMoves(ctx, left);
}

async function storeIdentityMoves(ctx: Context, moves: IdentityMove[]): Promise<void> {
  if (moves.length > 0) await ctx.items.identityMoves.set(moves);
  else await ctx.items.identityMoves.remove();
}

export async function forgetIdentityId(ctx: Context, key: IdentityKey): Promise<void> {
  const entries = (await ctx.items.identityIds.get()) ?? [];
  if (entries.some((entry) => sameKey(entry, key))) await ctx.items.identityIds.set(entries.filter((entry) => !sameKey(entry, key)));
}

/**
 * Who has signed in to the settings' pool through their provider on this browser, less those who signed
 * out here since and have not signed in themselves again, the most recent first. None without a
 * provider in the settings.
 */
export async function resumableIdentities(ctx: Context, settings: Settings): Promise<RememberedIdentity[]> {
  const issuer = issuerFromDomain(settings.domain);
  if (!issuer) return [];
  const provider = loginsKey(issuer.href);
  const marks = (await ctx.items.signOuts.get()) ?? [];
  return ((await ctx.items.identityIds.get()) ?? [])
    .filter((entry) => entry.identityPoolId === settings.identityPoolId && entry.provider === provider && mayResume(marks, provider, entry.sub))
    .sort((a, b) => b.usedAt - a.usedAt);
}

/**
 * The identity id of the signed-in person (or of the person a sign-in that ended names), or else of the
 * last person signed in with the current provider and pool who has not signed out since; undefined when
 * there is none (or no settings).
 */
export async function rememberedIdentityId(ctx: Context): Promise<string | undefined> {
  const settings = await ctx.items.settings.get();
  const issuer = settings && issuerFromDomain(settings.domain);
  if (!settings || !issuer) return undefined;
  const sub = (await ctx.items.authTokens.get())?.profile.sub ?? (await ctx.items.authState.get())?.profile?.sub;
  // A known person gets their own id or none: never someone else's data.
  if (sub !== undefined) {
    const provider = loginsKey(issuer.href);
    return (await ctx.items.identityIds.get())?.find((entry) => sameKey(entry, { identityPoolId: settings.identityPoolId, provider, sub }))
      ?.identityId;
  }
  // Nobody is: a person who signed out here is not brought back by the next one's sign-in nor by anything
  // else but their own.
  return (await resumableIdentities(ctx, settings))[0]?.identityId;
}

/**
 * The person whose sign-out is the last thing that happened on this browser (their mark's `last`: nobody has
 * signed in since), with their identity in the settings' pool; undefined when there is none.
 */
export async function lastSignedOutIdentity(ctx: Context, settings: Settings): Promise<RememberedIdentity | undefined> {
  const mark = (await ctx.items.signOuts.get())?.find((entry) => entry.last);
  if (!mark) return undefined;
  const key = { identityPoolId: settings.identityPoolId, provider: mark.provider, sub: mark.sub };
  return (await ctx.items.identityIds.get())?.find((entry) => sameKey(entry, key));
}
