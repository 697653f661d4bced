// A provider rotates its signing key while its JWKS sits in the browser's HTTP cache (max-age=300): the
// next renewal must fetch the keys past that cache and accept the new key at once — no window, no
// "check the settings" — and the person keeps syncing.
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { ALARMS } from '../../src/background/platform/alarms';
import { renewDue } from '../../src/background/lifecycle/renew';
import { workerDatasetDeps } from '../../src/background/sync/handlers';
import { createHandlers } from '../../src/background/worker';
import { createDatasetService } from '../../src/background/sync/dataset-service';
import { authContext, fakeIdentity, newProfile, stackSettings, type Flow, type TestContext } from '../support/auth-context';
import { httpCache } from '../support/http-cache';
import { startRotatingProvider, type RotatingProvider } from '../support/rotating-provider';

const ID_TOKEN_TTL_S = 8;

let stack: Stack;
let provider: RotatingProvider;

beforeAll(async () => {
  provider = await startRotatingProvider({ idTokenTtlS: ID_TOKEN_TTL_S });
  stack = await startStack({ port: 0, memory: true, trust: [{ issuer: provider.issuer, clientIds: [provider.clientId] }] });
});
afterAll(async () => {
  await stack?.close();
  await provider?.close();
});

/** The provider answers every authorization request at once: the window just follows its redirect. */
const authorizeAtOnce: Flow = async (details) => (await fetch(details.url, { redirect: 'manual' })).headers.get('location') ?? undefined;

/** Waits until the renewal alarm is due, as the browser would, and fires it. */
async function fireRenewalAlarm(ctx: TestContext): Promise<void> {
  const when = ctx.alarms.scheduled.get(ALARMS.renew);
  if (when === undefined) throw new Error('no renewal alarm');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, when - Date.now())));
  await renewDue(ctx);
}

const kidOf = (idToken: string | undefined): unknown => (idToken === undefined ? undefined : decodeProtectedHeader(idToken).kid);

describe('a provider that rotates its signing key behind a cacheable JWKS', () => {
  it('renews with the new key at once, asking for the keys past the HTTP cache, without a window, and syncs', async () => {
    const cache = httpCache();
    const profile = newProfile();
    const ctx = authContext(profile, { fetch: cache.fetch, identity: fakeIdentity(profile.jar, authorizeAtOnce) });
    await ctx.items.settings.set({ ...stackSettings(stack), domain: provider.issuer, clientId: provider.clientId, datasetName: 'KeyRotation' });
    await createHandlers(ctx).signIn();
    const before = await ctx.items.authTokens.get();
    expect(kidOf(before?.idToken)).toBe('key-1');

    await provider.rotate();
    // What the browser's cache would answer a plain request now: the old keys, for minutes to come.
    const cached = (await (await cache.fetch(provider.jwksUri)).json()) as { keys: Array<{ kid: string }> };
    expect(cached.keys.map((key) => key.kid)).toEqual(['key-1']);
    const asked = cache.requests.length;

    await fireRenewalAlarm(ctx);

    const after = await ctx.items.authTokens.get();
    expect(kidOf(after?.idToken)).toBe('key-2');
    expect(after?.idTokenExpiresAt).toBeGreaterThan(before?.idTokenExpiresAt ?? Number.POSITIVE_INFINITY);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedIn' });
    expect((await createHandlers(ctx).getAuthState()).error).toBeUndefined();
    // The sign-in's window is the only one: the renewal opened none, not even a silent one.
    expect(ctx.identity.calls).toHaveLength(1);
    // The keys were asked for once, past a cache that still held a fresh answer; storage.local has the new set.
    expect(cache.requests.slice(asked).filter((request) => request.url === provider.jwksUri)).toEqual([
      { url: provider.jwksUri, mode: 'reload', freshInCache: true, fromCache: false },
    ]);
    expect((await ctx.items.jwks.get())?.jwks.keys.map((key) => key['kid'])).toEqual(['key-2']);

    const dataset = createDatasetService(ctx, workerDatasetDeps(ctx));
    await dataset.put('after-rotation', 'still syncing');
    expect(await dataset.sync()).toMatchObject({ pushed: 1, conflicts: [] });
    expect((await dataset.open()).lastError).toBeUndefined();
  });
});
