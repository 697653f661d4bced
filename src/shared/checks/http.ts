// Requests to the provider, bounded in time, and what a failed one means in words. Node's fetch and a page's
// both: a page's fetch rejects with a bare TypeError whatever the cause (the browser keeps it to itself).

/** HTTP statuses that say "not now": the provider's trouble (5xx) or its rate limit (429). */
export const isProviderBusy = (status: number): boolean => status >= 500 || status === 429;

export type Fetched = { ok: true; response: Response } | { ok: false; reason: string };

/** GET `url`; a network failure or a timeout answers its reason instead of throwing. */
export async function get(fetchFn: typeof fetch, url: URL | string, timeoutMs: number, init: RequestInit = {}): Promise<Fetched> {
  try {
    const response = await fetchFn(url, { ...init, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    return { ok: true, response };
  } catch (error) {
    return { ok: false, reason: networkReason(error, timeoutMs) };
  }
}

const CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
};

function codeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') break;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Why a request got no answer, in words (undici hides the system error in `cause`). */
export function networkReason(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const code = codeOf(error);
  if (code) return `${CODES[code] ?? 'the request failed'} (${code})`;
  if (isFetchFailure(error)) return 'no answer (the browser does not say why)';
  return error instanceof Error ? error.message : String(error);
}

/** fetch's own rejection: a TypeError, which fetch throws only when no answer came (the Fetch standard's "network error"). */
function isFetchFailure(error: unknown): boolean {
  return error instanceof TypeError && /fetch|network/i.test(error.message);
}

/** Whether an error is a failure to reach the host at all (as opposed to an answer). */
export function isNetworkError(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError' || name === 'RequestTimeout') return true;
  if (isFetchFailure(error)) return true;
  const code = codeOf(error);
  return code !== undefined && (code in CODES || code.startsWith('E') || code.startsWith('UND_ERR'));
}
