// How the worker's OpenID Connect requests leave: through the context's fetch, without the browser's
// cookies (the auth window shares the profile's cookie jar; the worker's calls have no use for it).
import * as oauth from 'oauth4webapi';
import { isLoopback } from '../../shared/settings';
import type { Context } from '../platform/context';

/** What oauth4webapi and jose hand their custom fetch. */
export interface FetchInit {
  method: string;
  headers: HeadersInit;
  body?: BodyInit | null | undefined;
  redirect?: RequestRedirect;
  signal?: AbortSignal | undefined;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<Response>;

export function cookieless(ctx: Context): FetchLike {
  return (url, { method, headers, body, redirect, signal }) => {
    const init: RequestInit = { method, headers, credentials: 'omit' };
    if (body !== undefined) init.body = body;
    if (redirect !== undefined) init.redirect = redirect;
    if (signal !== undefined) init.signal = signal;
    return ctx.fetch(url, init);
  };
}

export interface HttpOptions {
  [oauth.customFetch]: FetchLike;
  [oauth.allowInsecureRequests]?: boolean;
  signal: () => AbortSignal;
}

/**
 * The time limit of each request to the provider (discovery, token, refresh, revocation): a provider that
 * accepts the connection and never answers would otherwise hold the tokens lock, and with it sign-out,
 * for as long as the worker lives. The request then fails as a network failure (auth-errors.ts).
 */
export const PROVIDER_REQUEST_TIMEOUT_MS = 10_000;

/** Options for every oauth4webapi request; plain http is allowed for a loopback issuer only. */
export function httpOptions(ctx: Context, issuer: URL): HttpOptions {
  const options: HttpOptions = {
    [oauth.customFetch]: cookieless(ctx),
    // A new signal for each request: one made here would run out for all of them 10 s from now.
    signal: () => AbortSignal.timeout(PROVIDER_REQUEST_TIMEOUT_MS),
  };
  // oauth4webapi marks the flag deprecated because it weakens TLS; loopback never leaves the machine.
  if (issuer.protocol === 'http:' && isLoopback(issuer)) options[oauth.allowInsecureRequests] = true;
  return options;
}
