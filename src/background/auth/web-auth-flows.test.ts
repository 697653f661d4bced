import type { AuthorizationServer } from 'oauth4webapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authContext, fakeIdentity, newProfile, ONE_FLOW_AT_A_TIME, oneFlowAtATime, type Profile } from '../../../test/support/auth-context';
import type { SignInFlight } from '../../shared/auth-records';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import type { Context, WebAuthFlowDetails } from '../platform/context';
import { AttemptSuperseded } from './attempt';
import type { OidcProvider } from './discovery';
import { httpOptions } from './http';
import { authorize } from './pkce-flow';
import { launchWebAuthFlow, SILENT_FLOW_BOUND_MS } from './web-auth-flows';

const issuer = 'https://id.example.com/';

function providerWith(ctx: Context): OidcProvider {
  const as: AuthorizationServer = { issuer, authorization_endpoint: `${issuer}authorize`, token_endpoint: `${issuer}oauth/token` };
  const settings = { ...DEFAULT_SETTINGS, domain: 'id.example.com', clientId: 'client' };
  return { settings, as, client: { client_id: 'client' }, http: httpOptions(ctx, new URL(issuer)) };
}

/** A flow the browser runs until the test answers it, as the provider would: back to the redirect URI, with our state. */
interface Launched {
  details: WebAuthFlowDetails;
  answer(params: Record<string, string>): void;
}

/**
 * A browser whose flows the test answers; `refuse` says whether it refuses a launch for a flow the worker does
 * not know (one of a stopped worker's).
 */
function browser(profile: Profile, refuse: () => boolean = () => false) {
  const launched: Launched[] = [];
  let refusedForOthers = 0;
  const identity = oneFlowAtATime({
    ...fakeIdentity(profile.jar),
    launchWebAuthFlow: (details: WebAuthFlowDetails) => {
      if (refuse()) {
        refusedForOthers += 1;
        return Promise.reject(new Error(ONE_FLOW_AT_A_TIME));
      }
      return new Promise<string | undefined>((resolve) => {
        const sent = new URL(details.url);
        launched.push({
          details,
          answer(params) {
            const back = new URL(sent.searchParams.get('redirect_uri') ?? 'https://abcdefghijklmnop.chromiumapp.org/');
            back.search = new URLSearchParams({ ...params, state: sent.searchParams.get('state') ?? '' }).toString();
            resolve(back.href);
          },
        });
      });
    },
  });
  const ctx = authContext(profile, { identity, fetch: async () => new Response('no request expected', { status: 500 }) });
  /** Launches refused, for this worker's flows or for another's. */
  const refused = (): number => identity.refused.length + refusedForOthers;
  return { ctx, refused, launched, provider: providerWith(ctx) };
}

/**
 * Real turns of the event loop (the PKCE challenge is WebCrypto's, on a thread of its own, not a microtask) until
 * `done` holds, for up to 10 s of real time: a count of turns would run out first on a busy machine.
 */
async function until(done: () => boolean): Promise<void> {
  const deadline = process.hrtime.bigint() + 10_000_000_000n;
  while (!done()) {
    if (process.hrtime.bigint() > deadline) throw new Error('it never happened');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Whether `promise` has settled, once the event loop has turned a few times. */
async function settledSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Sign in while this worker runs a flow without a window (Chrome runs one flow at a time)', () => {
  it.each([
    ['a silent renewal or sign-in at browser start', (ctx: Context, provider: OidcProvider) => authorize(ctx, provider, false)],
    ['the provider logout of a sign-out', (ctx: Context) => launchWebAuthFlow(ctx, { url: `${issuer}logout`, interactive: false })],
  ])('waits for %s to end, then opens its window, and never says a window is open', async (_, silently) => {
    const { ctx, refused, launched, provider } = browser(newProfile());
    const silent = silently(ctx, provider).catch((error: unknown) => error);
    await until(() => launched.length === 1);

    const window = authorize(ctx, provider, true).catch((error: unknown) => error);
    await until(() => refused() === 1);
    expect(await settledSoon(window)).toBe(false);
    expect(launched).toHaveLength(1);

    launched[0]?.answer({ error: 'login_required' });
    await silent;
    await until(() => launched.length === 2);
    expect(launched.map((flow) => flow.details.interactive)).toEqual([false, true]);
    // The window the person sees answers: here they refuse, which is the provider's answer, not the browser's.
    launched[1]?.answer({ error: 'access_denied' });
    expect(await window).toMatchObject({ code: 'AUTH_DENIED' });
    expect(await ctx.items.authFlights.get()).toBeUndefined();
  });

  it('is told at once that a window is open when one of this worker’s is', async () => {
    const { ctx, refused, launched, provider } = browser(newProfile());
    const first = authorize(ctx, provider, true).catch((error: unknown) => error);
    await until(() => launched.length === 1);

    await expect(authorize(ctx, provider, true)).rejects.toMatchObject({ code: 'AUTH_WINDOW_OPEN' });
    expect(refused()).toBe(1);

    launched[0]?.answer({ error: 'access_denied' });
    expect(await first).toMatchObject({ code: 'AUTH_DENIED' });
  });

  it('opens no window once its attempt was replaced while it waited', async () => {
    const { ctx, refused, launched, provider } = browser(newProfile());
    const silent = authorize(ctx, provider, false).catch((error: unknown) => error);
    await until(() => launched.length === 1);
    let current = true;
    const window = authorize(ctx, provider, true, { isCurrent: () => current }).catch((error: unknown) => error);
    await until(() => refused() === 1);

    current = false;
    launched[0]?.answer({ error: 'login_required' });
    await silent;
    expect(await window).toBeInstanceOf(AttemptSuperseded);
    expect(launched).toHaveLength(1);
    expect(await ctx.items.authFlights.get()).toBeUndefined();
  });

  it('gives up after SILENT_FLOW_BOUND_MS when the flow without a window never ends, saying so, not that a window is open', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { ctx, refused, launched, provider } = browser(newProfile());
    void launchWebAuthFlow(ctx, { url: `${issuer}logout`, interactive: false });
    const window = authorize(ctx, provider, true).catch((error: unknown) => error);
    await until(() => refused() === 1);

    await vi.advanceTimersByTimeAsync(SILENT_FLOW_BOUND_MS - 1);
    expect(await settledSoon(window)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await window).toMatchObject({ code: 'AUTH_FLOW_BUSY' });
    expect(launched).toHaveLength(1);
    expect(await ctx.items.authFlights.get()).toBeUndefined();
  });
});

describe('Sign in after the worker was stopped and started again', () => {
  const T0 = 1_800_000_000_000;
  const filed = (interactive: boolean, startedAt: number): SignInFlight => ({
    state: 'earlier',
    nonce: 'n',
    codeVerifier: 'v',
    redirectUri: 'https://abcdefghijklmnop.chromiumapp.org/',
    interactive,
    startedAt,
  });

  it('waits out a silent request the stopped worker filed, its flow still the browser’s, and then opens its window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: T0 });
    const profile = newProfile();
    await authContext(profile).items.authFlights.set({ earlier: filed(false, T0 - 5_000) });
    // The stopped worker's flow: Chrome ends it by its own limit (20 s), before its bound (25 s) is out.
    const { ctx, refused, launched, provider } = browser(profile, () => Date.now() < T0 + 15_000);

    const window = authorize(ctx, provider, true).catch((error: unknown) => error);
    await until(() => refused() === 1);
    await vi.advanceTimersByTimeAsync(SILENT_FLOW_BOUND_MS - 5_000 - 1);
    expect(await settledSoon(window)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => launched.length === 1);

    launched[0]?.answer({ error: 'access_denied' });
    expect(await window).toMatchObject({ code: 'AUTH_DENIED' });
  });

  it('is told that a window is open when the stopped worker filed one young enough to answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: T0 });
    const profile = newProfile();
    await authContext(profile).items.authFlights.set({ earlier: filed(true, T0 - 60_000) });
    const { ctx, provider } = browser(profile, () => true);

    await expect(authorize(ctx, provider, true)).rejects.toMatchObject({ code: 'AUTH_WINDOW_OPEN' });
  });
});
