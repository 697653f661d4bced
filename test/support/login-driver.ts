// Stands in for browser.identity.launchWebAuthFlow in Node tests: follows the provider's redirects with
// fetch, carries its cookies, and fills the login form the way a person would.

interface StoredCookie {
  value: string;
  path: string;
  /** Epoch ms; undefined for a session cookie. */
  expires: number | undefined;
}

/** A minimal cookie jar: host-only cookies, Path, Expires and Max-Age — what the local provider sets. */
export class CookieJar {
  readonly #hosts = new Map<string, Map<string, StoredCookie>>();

  /** Remembers the Set-Cookie headers of a response to `url`. */
  store(url: string, response: Response): void {
    const { host, pathname } = new URL(url);
    const cookies = this.#hosts.get(host) ?? new Map<string, StoredCookie>();
    this.#hosts.set(host, cookies);
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      if (separator < 1) continue;
      const name = pair.slice(0, separator).trim();
      // RFC 6265 §5.1.4: without Path, a cookie belongs to the directory of the request path.
      let path = pathname.slice(0, Math.max(pathname.lastIndexOf('/'), 1));
      let expires: number | undefined;
      for (const attribute of attributes) {
        const [key = '', value = ''] = attribute.split('=').map((part) => part.trim());
        if (key.toLowerCase() === 'path' && value.startsWith('/')) path = value;
        if (key.toLowerCase() === 'expires' && expires === undefined) expires = Date.parse(value);
        if (key.toLowerCase() === 'max-age') expires = Date.now() + Number(value) * 1000;
      }
      cookies.set(`${name};${path}`, { value: pair.slice(separator + 1).trim(), path, expires });
    }
  }

  /** The Cookie header a browser would send to `url`, if any. */
  header(url: string): string | undefined {
    const { host, pathname } = new URL(url);
    const pairs: string[] = [];
    for (const [id, cookie] of this.#hosts.get(host) ?? []) {
      if (cookie.expires !== undefined && cookie.expires <= Date.now()) continue;
      const inPath = pathname === cookie.path || pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`);
      if (inPath) pairs.push(`${id.slice(0, id.indexOf(';'))}=${cookie.value}`);
    }
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }
}

interface Credentials {
  username: string;
  password: string;
}

export interface LoginOptions extends Credentials {
  jar?: CookieJar;
  /** Where the flow ends; default: the authorization request's redirect_uri. */
  redirectPrefix?: string;
}

const MAX_HOPS = 20;

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The login form's action, when the page is the login form. */
function loginFormAction(html: string): string | undefined {
  if (!/<input[^>]*\bname="username"/.test(html) || !/<input[^>]*\bname="password"/.test(html)) return undefined;
  const action = /<form[^>]*\baction="([^"]*)"/.exec(html)?.[1];
  return action === undefined ? undefined : decodeEntities(action);
}

/**
 * A page that submits its own form by script, as a browser would run it: oidc-provider's "Submitting Callback",
 * which ends the session of the person signed in before when another one signs in.
 */
function selfSubmittingForm(html: string): { action: string; method: string; fields: URLSearchParams } | undefined {
  if (!/document\.forms\[0\]\.submit\(\)/.test(html)) return undefined;
  const form = /<form([^>]*)>([\s\S]*?)<\/form>/.exec(html);
  const action = form && /\baction="([^"]*)"/.exec(form[1] ?? '')?.[1];
  if (!form || action === undefined || action === null) return undefined;
  const method = /\bmethod="([^"]*)"/i.exec(form[1] ?? '')?.[1]?.toUpperCase() ?? 'GET';
  const fields = new URLSearchParams();
  for (const [input] of (form[2] ?? '').matchAll(/<input[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input)?.[1];
    if (name !== undefined) fields.append(decodeEntities(name), decodeEntities(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? ''));
  }
  return { action: decodeEntities(action), method, fields };
}

function alertText(html: string): string | undefined {
  const text = /<[^>]*role="alert"[^>]*>([\s\S]*?)<\//.exec(html)?.[1];
  return text === undefined ? undefined : decodeEntities(text).trim();
}

function redirectPrefixOf(authorizationUrl: string, explicit: string | undefined): string {
  const prefix = explicit ?? new URL(authorizationUrl).searchParams.get('redirect_uri');
  if (!prefix) throw new Error('the authorization URL has no redirect_uri: pass redirectPrefix');
  return prefix;
}

/**
 * Follows redirects from `authorizationUrl` until one leads to `prefix`, answering the login form with
 * `credentials` when it shows (or failing when there are none). Answers that final URL.
 */
async function follow(authorizationUrl: string, jar: CookieJar, prefix: string, credentials: Credentials | undefined): Promise<string> {
  let url = authorizationUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    if (url.startsWith(prefix)) return url;
    const cookie = jar.header(url);
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, ...(cookie ? { cookie } : {}) } });
    jar.store(url, response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url).href;
      init = {};
      continue;
    }
    const html = await response.text();
    const failure = alertText(html);
    if (failure) throw new Error(`the login form says: ${failure}`);
    const submitted = selfSubmittingForm(html);
    if (submitted) {
      const target = new URL(submitted.action, url);
      if (submitted.method === 'POST') {
        url = target.href;
        init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: submitted.fields.toString() };
      } else {
        target.search = submitted.fields.toString();
        url = target.href;
        init = {};
      }
      continue;
    }
    const action = loginFormAction(html);
    if (action === undefined || credentials === undefined) {
      throw new Error(
        `the flow stopped at ${url} (HTTP ${response.status}): ${html
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 300)}`,
      );
    }
    url = new URL(action, url).href;
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: credentials.username, password: credentials.password }).toString(),
    };
  }
  throw new Error(`more than ${MAX_HOPS} redirects from ${authorizationUrl}`);
}

/** An interactive sign-in: answers the redirect back to the extension (with code and state, or an error). */
export function loginThroughForm(authorizationUrl: string, opts: LoginOptions): Promise<string> {
  const { username, password } = opts;
  return follow(authorizationUrl, opts.jar ?? new CookieJar(), redirectPrefixOf(authorizationUrl, opts.redirectPrefix), { username, password });
}

/** A non-interactive flow (prompt=none): no form may show; the answer may carry error=login_required. */
export function followSilently(authorizationUrl: string, jar: CookieJar): Promise<string> {
  return follow(authorizationUrl, jar, redirectPrefixOf(authorizationUrl, undefined), undefined);
}
