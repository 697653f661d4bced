// The browser's HTTP cache, which Node's fetch does not have: a GET answered with `Cache-Control: max-age`
// is served from the cache until it is that old, unless the request says `cache: 'no-store'`, 'reload' or
// 'no-cache' (https://fetch.spec.whatwg.org/#concept-request-cache-mode). Enough to show what a worker's
// request would get in a browser.

interface Entry {
  body: string;
  status: number;
  headers: [string, string][];
  storedAt: number;
  maxAgeMs: number;
}

export interface CachedRequest {
  url: string;
  mode: RequestCache;
  /** A fresh answer was in the cache when the request was made. */
  freshInCache: boolean;
  fromCache: boolean;
}

export interface HttpCache {
  fetch: typeof fetch;
  requests: CachedRequest[];
}

function maxAgeMs(response: Response): number | undefined {
  const control = response.headers.get('cache-control') ?? '';
  if (/no-store|no-cache|private/i.test(control)) return undefined;
  const seconds = /max-age=(\d+)/i.exec(control)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

export function httpCache(network: typeof fetch = fetch, now: () => number = () => Date.now()): HttpCache {
  const entries = new Map<string, Entry>();
  const requests: CachedRequest[] = [];

  const cachedFetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET') return network(input, init);
    const mode = init?.cache ?? 'default';
    const entry = entries.get(url);
    const freshInCache = entry !== undefined && now() - entry.storedAt < entry.maxAgeMs;
    const useCache = freshInCache && (mode === 'default' || mode === 'force-cache' || mode === 'only-if-cached');
    requests.push({ url, mode, freshInCache, fromCache: useCache });
    if (useCache && entry) return new Response(entry.body, { status: entry.status, headers: entry.headers });

    const response = await network(input, init);
    const maxAge = maxAgeMs(response);
    if (mode !== 'no-store' && response.status === 200 && maxAge !== undefined) {
      const body = await response.clone().text();
      entries.set(url, { body, status: response.status, headers: [...response.headers.entries()], storedAt: now(), maxAgeMs: maxAge });
    }
    return response;
  };
  return { fetch: cachedFetch, requests };
}
