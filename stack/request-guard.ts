// What keeps a web page out of the local stack. A page the person visits can send requests to 127.0.0.1
// (a form POST needs no CORS permission), and a page on a hostile domain can rebind its name to 127.0.0.1
// and read the answers. So every request must name the stack itself in Host, and an admin call that
// changes something must be one no page can send without the stack's consent: a JSON POST (or a DELETE),
// which a browser preflights, from no foreign origin. https://fetch.spec.whatwg.org/#cors-safelisted-request-header
import type { IncomingMessage } from 'node:http';

/** The Host values that name this stack: loopback names with its port. */
export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** A Host header naming something else is a DNS-rebinding attempt (or a misdirected request). */
export function isForeignHost(req: IncomingMessage, hosts: ReadonlySet<string>): boolean {
  return !hosts.has((req.headers.host ?? '').toLowerCase());
}

/** Why an admin request is refused, or undefined when it may go on. Reads change nothing and pass. */
export function adminRefusal(req: IncomingMessage, hosts: ReadonlySet<string>): string | undefined {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, '').toLowerCase())) {
    return `admin calls from another origin (${origin}) are refused`;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `admin calls from a ${site} page are refused`;
  // A cross-site form can POST text/plain, urlencoded or multipart without asking; it cannot send JSON.
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (method === 'POST' && mediaType !== 'application/json') return 'admin POSTs must send Content-Type: application/json';
  return undefined;
}
