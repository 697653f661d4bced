// `npm run thumbprint -- DOMAIN [--client-id ID] [--port 443] [--ca FILE] [--timeout-ms 10000]`
//
// The thumbprint IAM takes when it registers an OpenID Connect provider (the CLI's --thumbprint-list,
// CloudFormation's ThumbprintList, deploy/cloudformation.json's Thumbprint parameter):
//   1. fetch the certificate chain of DOMAIN over TLS (verified: a thumbprint read off an unverified
//      connection would let whoever sits in the middle choose the CA that AWS trusts),
//   2. take the CA certificate at the top of the chain the server presents,
//   3. SHA-1 over its DER bytes, 4. as hex without colons, 5. print the `aws iam` command that uses it.
//
// Which certificate is "the last one in the chain"? AWS's procedure reads the chain with
// `openssl s_client -showcerts` and takes the last certificate printed: the last one the *server sends*.
// Servers normally send leaf + intermediates and leave the root out, so that is the top intermediate CA,
// which is what IAM asks for (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html).
// Node's getPeerCertificate(true) does not stop there: it completes the chain from the local trust store,
// so walking `issuerCertificate` to its end gives the root, whether the server sent it or not. We
// therefore walk to the end and then take the certificate just below the root: the same answer as
// openssl's "last certificate" for a server that leaves the root out, and still the top intermediate
// for one that sends it. A leaf issued straight by a root has no intermediate: the root is its CA then.
// (AWS now ignores the thumbprint for providers whose certificates chain to a CA it trusts, as
// Auth0's do; the API still requires one.)
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export type ThumbprintErrorCode =
  | 'USAGE'
  | 'HOST_NOT_FOUND'
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_CLOSED'
  | 'TIMEOUT'
  | 'NOT_TLS'
  | 'UNTRUSTED'
  | 'NO_CERTIFICATE';

export class ThumbprintError extends Error {
  override readonly name = 'ThumbprintError';
  constructor(
    readonly code: ThumbprintErrorCode,
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

export interface FetchChainOptions {
  /** Trust anchors (PEM) instead of Node's bundled roots, e.g. a private CA or a TLS-inspecting proxy's. */
  ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** The whole connection and handshake; default 10 s. */
  timeoutMs?: number;
}

/** Longer chains than this are not seen in practice; the bound stops a malformed loop. */
const MAX_CHAIN = 10;
const DEFAULT_TIMEOUT_MS = 10_000;

const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : '';
}

/** One wrapping, at the boundary: a socket or TLS error becomes a ThumbprintError saying what to do. */
function classify(error: unknown, host: string, port: number): ThumbprintError {
  const code = errorCode(error);
  const where = `${host}:${port}`;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new ThumbprintError(
      'HOST_NOT_FOUND',
      `${host} was not found (DNS: ${code}). Check the domain: it is your Auth0 domain, such as your-tenant.us.auth0.com.`,
      { cause: error },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new ThumbprintError('CONNECTION_REFUSED', `Nothing accepts connections at ${where} (connection refused). Check the domain and --port.`, {
      cause: error,
    });
  }
  if (
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ||
    code === 'EPROTO' ||
    /wrong version number|packet length too long|unknown protocol/i.test(reason)
  ) {
    return new ThumbprintError('NOT_TLS', `${where} did not answer with TLS (${reason.trim()}). Is it an HTTPS port? The provider's is 443.`, {
      cause: error,
    });
  }
  if (UNTRUSTED_CODES.has(code)) {
    return new ThumbprintError(
      'UNTRUSTED',
      `The certificate of ${where} is not trusted (${code}: ${reason}). A thumbprint read off an unverified connection could be anyone's; ` +
        'if the provider uses a private CA, or a proxy inspects TLS here, pass its CA certificate with --ca FILE.',
      { cause: error },
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected|socket hang up/i.test(reason)) {
    return new ThumbprintError(
      'CONNECTION_CLOSED',
      `${where} closed the connection before the TLS handshake ended (${reason}). Is it an HTTPS port?`,
      { cause: error },
    );
  }
  return new ThumbprintError('CONNECTION_CLOSED', `Could not read the certificate chain of ${where}: ${reason}`, { cause: error });
}

/**
 * The verified certificate chain of `host:port`, leaf first, as Node sees it: what the server sent,
 * completed with the root from the trust store (`ca`, or Node's bundled roots).
 */
export function fetchChain(host: string, port: number, options: FetchChainOptions = {}): Promise<X509Certificate[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    let settled = false;
    const socket = connect({
      host,
      port,
      // SNI takes a host name only (RFC 6066); the certificate is checked against `host` either way.
      ...(isIP(host) ? {} : { servername: host }),
      ...(options.ca === undefined ? {} : { ca: typeof options.ca === 'string' || Buffer.isBuffer(options.ca) ? options.ca : [...options.ca] }),
      rejectUnauthorized: true,
    });
    const finish = (outcome: { chain: X509Certificate[] } | { error: ThumbprintError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if ('chain' in outcome) resolve(outcome.chain);
      else reject(outcome.error);
    };
    const timer = setTimeout(() => {
      finish({
        error: new ThumbprintError(
          'TIMEOUT',
          `No TLS handshake with ${host}:${port} within ${timeoutMs} ms. Check the domain, --port and your connection.`,
        ),
      });
    }, timeoutMs);
    socket.once('secureConnect', () => {
      try {
        finish({ chain: chainOf(socket.getPeerCertificate(true)) });
      } catch (error) {
        finish({ error: error instanceof ThumbprintError ? error : classify(error, host, port) });
      }
    });
    socket.on('error', (error) => finish({ error: classify(error, host, port) }));
    socket.once('close', () => finish({ error: classify(new Error('socket disconnected'), host, port) }));
  });
}

/** Walks `issuerCertificate` from the leaf to the end (a root is its own issuer). */
function chainOf(leaf: DetailedPeerCertificate): X509Certificate[] {
  // An anonymous or failed handshake yields {} rather than a certificate.
  if (!Buffer.isBuffer(leaf.raw)) throw new ThumbprintError('NO_CERTIFICATE', 'The server presented no certificate.');
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = leaf;
  while (cert && Buffer.isBuffer(cert.raw) && chain.length < MAX_CHAIN) {
    const x509 = new X509Certificate(cert.raw);
    if (seen.has(x509.fingerprint256)) break;
    seen.add(x509.fingerprint256);
    chain.push(x509);
    cert = cert.issuerCertificate;
  }
  return chain;
}

export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.checkIssued(cert) && cert.verify(cert.publicKey);
}

/**
 * The certificate whose thumbprint IAM wants: the CA just below the root of a chain ending in a root
 * (the top intermediate), the root when the leaf hangs straight off it, and the last certificate when
 * the chain ends without a root (a trust anchor that is itself an intermediate) or is one certificate.
 */
export function certificateToPin(chain: readonly X509Certificate[]): X509Certificate {
  const last = chain.at(-1);
  if (!last) throw new ThumbprintError('NO_CERTIFICATE', 'The server presented no certificate.');
  if (chain.length >= 3 && isSelfSigned(last)) return chain.at(-2) ?? last;
  return last;
}

/** SHA-1 of the DER bytes, 40 uppercase hex digits, no colons (openssl's `-fingerprint -sha1` without the `:`). */
export function thumbprintOf(cert: X509Certificate | Buffer): string {
  const der = Buffer.isBuffer(cert) ? cert : cert.raw;
  return createHash('sha1').update(der).digest('hex').toUpperCase();
}

/** Accepts `tenant.auth0.com`, `https://tenant.auth0.com/` or the issuer URL; answers the host name. */
export function hostOf(domain: string): string {
  const text = domain.trim();
  if (text === '') throw new ThumbprintError('USAGE', 'Give the domain: npm run thumbprint -- your-tenant.us.auth0.com');
  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `https://${text}`);
  } catch (error) {
    throw new ThumbprintError('USAGE', `Not a domain: ${domain}`, { cause: error });
  }
  if (url.protocol !== 'https:') throw new ThumbprintError('USAGE', `The provider must be https:// (got ${url.protocol}//).`);
  if (url.pathname !== '/' || url.search || url.username || url.port) {
    throw new ThumbprintError('USAGE', `Give the domain alone (such as your-tenant.us.auth0.com), not ${domain}; use --port for another port.`);
  }
  return url.hostname;
}

/** The IAM CLI call that registers the provider (what deploy/cloudformation.json's OidcProvider creates). */
export function createProviderCommand(host: string, clientId: string, thumbprint: string): string {
  return `aws iam create-open-id-connect-provider --url https://${host} --client-id-list ${clientId} --thumbprint-list ${thumbprint}`;
}

function subjectLine(cert: X509Certificate): string {
  return cert.subject.split('\n').join(', ');
}

export interface ThumbprintReport {
  host: string;
  port: number;
  chain: X509Certificate[];
  pinned: X509Certificate;
  thumbprint: string;
}

export async function thumbprintReport(host: string, port: number, options: FetchChainOptions = {}): Promise<ThumbprintReport> {
  const chain = await fetchChain(host, port, options);
  const pinned = certificateToPin(chain);
  return { host, port, chain, pinned, thumbprint: thumbprintOf(pinned) };
}

/** What the command prints: the chain (so a person can see which CA was taken), the thumbprint, the command. */
export function formatReport(report: ThumbprintReport, clientId: string | undefined): string {
  const lines = [`Certificate chain of ${report.host}:${report.port} (verified):`];
  report.chain.forEach((cert, index) => {
    const marks = [cert === report.pinned ? 'taken' : '', isSelfSigned(cert) ? 'root' : ''].filter(Boolean).join(', ');
    lines.push(`  ${index} ${subjectLine(cert)}  SHA-1 ${thumbprintOf(cert)}${marks ? `  (${marks})` : ''}`);
  });
  lines.push(
    '',
    `Thumbprint: ${report.thumbprint}`,
    '',
    createProviderCommand(report.host, clientId ?? 'CLIENT_ID', report.thumbprint),
    '',
    `Or deploy deploy/cloudformation.json with Thumbprint=${report.thumbprint} (docs/setup.md).`,
  );
  return lines.join('\n');
}

const USAGE = `Usage: npm run thumbprint -- DOMAIN [--client-id ID] [--port 443] [--ca FILE] [--timeout-ms 10000]

Prints the SHA-1 thumbprint of the top intermediate CA of https://DOMAIN and the
'aws iam create-open-id-connect-provider' command that uses it.`;

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '443' },
      'client-id': { type: 'string' },
      ca: { type: 'string' },
      'timeout-ms': { type: 'string', default: String(DEFAULT_TIMEOUT_MS) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    if (positionals.length !== 1) throw new ThumbprintError('USAGE', USAGE);
    const host = hostOf(positionals[0] ?? '');
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ThumbprintError('USAGE', `--port must be 1 to 65535 (got ${values.port}).`);
    const timeoutMs = Number(values['timeout-ms']);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
      throw new ThumbprintError('USAGE', `--timeout-ms must be a positive whole number (got ${values['timeout-ms']}).`);
    const options: FetchChainOptions = { timeoutMs };
    if (values.ca !== undefined) {
      try {
        options.ca = readFileSync(values.ca);
      } catch (error) {
        throw new ThumbprintError('USAGE', `Cannot read --ca ${values.ca}: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
    }
    const report = await thumbprintReport(host, port, options);
    console.log(formatReport(report, values['client-id']));
    return 0;
  } catch (error) {
    if (!(error instanceof ThumbprintError)) throw error;
    console.error(error.message);
    return error.code === 'USAGE' ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
