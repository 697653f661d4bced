// AWS Signature Version 4, server side: recompute the signature of a received request and answer as AWS does.
// Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AwsError } from '../http';

const CORAL = 'com.amazon.coral.service#';
const ALGORITHM = 'AWS4-HMAC-SHA256';
/** How far a signature's time may be from the service's clock: most services allow 15 minutes. */
const DEFAULT_MAX_SKEW_MINUTES = 15;

export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  /** Lower-case names; every value of a repeated header (node's `headersDistinct`). */
  headers: Record<string, string[] | undefined>;
  body: Buffer;
}

export interface SecretFor {
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface VerifyOptions<T extends SecretFor> {
  service: string;
  region: string;
  now: number;
  lookup(accessKeyId: string): T | undefined;
  /** The service's window for the signature's time, when not 15 minutes (Cognito Sync's is 5, docs/local-stack.md). */
  maxSkewMinutes?: number;
}

interface Authorization {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding, as the SDKs' escapeUri. */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function header(request: ReceivedRequest, name: string): string | undefined {
  return request.headers[name]?.join(',');
}

function parseAuthorization(value: string): Authorization {
  const [algorithm = '', ...rest] = value.trim().split(/\s+/);
  if (algorithm !== ALGORITHM) {
    throw new AwsError(`${CORAL}IncompleteSignatureException`, `Unsupported AWS 'algorithm': '${algorithm}' (only ${ALGORITHM} for now). `);
  }
  const params = new Map<string, string>();
  for (const part of rest.join('').split(',')) {
    const index = part.indexOf('=');
    if (index > 0) params.set(part.slice(0, index), part.slice(index + 1));
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !params.get(name));
  if (missing.length > 0) {
    const reasons = missing.map((name) => `Authorization header requires '${name}' parameter. `).join('');
    throw new AwsError(`${CORAL}IncompleteSignatureException`, `${reasons}Authorization=${value}`);
  }
  const credential = (params.get('Credential') ?? '').split('/');
  if (credential.length !== 5) {
    throw new AwsError(
      `${CORAL}IncompleteSignatureException`,
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${params.get('Credential')}'`,
    );
  }
  const [accessKeyId = '', scopeDate = '', region = '', service = '', terminator = ''] = credential;
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    terminator,
    signedHeaders: (params.get('SignedHeaders') ?? '').split(';'),
    signature: params.get('Signature') ?? '',
  };
}

function canonicalPath(rawPath: string): string {
  // Non-S3 services normalise the path and encode it once more (the SDK's uriEscapePath).
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return escapeUri(`/${segments.join('/')}${trailing}`).replace(/%2F/g, '/');
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  return rawQuery
    .split('&')
    .map((pair) => {
      const index = pair.indexOf('=');
      const [key, value] = index < 0 ? [pair, ''] : [pair.slice(0, index), pair.slice(index + 1)];
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
      return [escapeUri(decode(key)), escapeUri(decode(value))] as const;
    })
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

export function canonicalRequest(request: ReceivedRequest, signedHeaders: string[]): string {
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const query = queryStart < 0 ? '' : request.url.slice(queryStart + 1);
  const headers = signedHeaders.map((name) => {
    const values = (request.headers[name] ?? []).map((value) => value.trim().replace(/\s+/g, ' '));
    return `${name}:${values.join(',')}\n`;
  });
  return [
    request.method.toUpperCase(),
    canonicalPath(path),
    canonicalQuery(query),
    headers.join(''),
    signedHeaders.join(';'),
    sha256(request.body),
  ].join('\n');
}

export function computeSignature(secretAccessKey: string, amzDate: string, scope: string, canonical: string): string {
  const [date = '', region = '', service = '', terminator = ''] = scope.split('/');
  const stringToSign = [ALGORITHM, amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, date);
  for (const part of [region, service, terminator]) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

/** '20150830T123600Z' → epoch ms. */
function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) {
    throw new AwsError(
      `${CORAL}IncompleteSignatureException`,
      `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const [, year, month, day, hour, minute, second] = m.map(Number);
  return Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
}

function basicFormat(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

/** Checks the request as AWS does, in AWS's order; answers the credentials that signed it. */
export function verifySignature<T extends SecretFor>(request: ReceivedRequest, options: VerifyOptions<T>): T {
  const authorization = header(request, 'authorization');
  if (authorization === undefined) {
    throw new AwsError(`${CORAL}MissingAuthenticationTokenException`, 'Request is missing Authentication Token');
  }
  const auth = parseAuthorization(authorization);
  const amzDate = header(request, 'x-amz-date');
  if (amzDate === undefined) {
    throw new AwsError(
      `${CORAL}IncompleteSignatureException`,
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization}`,
    );
  }
  const signedAt = parseAmzDate(amzDate);
  const now = basicFormat(options.now);
  const minutes = options.maxSkewMinutes ?? DEFAULT_MAX_SKEW_MINUTES;
  const skew = minutes * 60_000;
  if (signedAt < options.now - skew) {
    throw new AwsError(
      `${CORAL}InvalidSignatureException`,
      `Signature expired: ${amzDate} is now earlier than ${basicFormat(options.now - skew)} (${now} - ${minutes} min.)`,
    );
  }
  if (signedAt > options.now + skew) {
    throw new AwsError(
      `${CORAL}InvalidSignatureException`,
      `Signature not yet current: ${amzDate} is still later than ${basicFormat(options.now + skew)} (${now} + ${minutes} min.)`,
    );
  }
  if (!auth.signedHeaders.includes('host')) {
    throw new AwsError(`${CORAL}InvalidSignatureException`, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const scopeErrors = [
    auth.region === options.region ? '' : `Credential should be scoped to a valid region, not '${auth.region}'. `,
    auth.service === options.service ? '' : `Credential should be scoped to correct service: '${options.service}'. `,
    auth.terminator === 'aws4_request' ? '' : `Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'. `,
    auth.scopeDate === amzDate.slice(0, 8)
      ? ''
      : `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
  ].join('');
  if (scopeErrors) throw new AwsError(`${CORAL}InvalidSignatureException`, scopeErrors.trim());

  const secret = options.lookup(auth.accessKeyId);
  if (secret === undefined || header(request, 'x-amz-security-token') !== secret.sessionToken) {
    throw new AwsError(`${CORAL}UnrecognizedClientException`, 'The security token included in the request is invalid.');
  }
  if (options.now >= secret.expiresAt) {
    throw new AwsError(`${CORAL}ExpiredTokenException`, 'The security token included in the request is expired');
  }

  const scope = [auth.scopeDate, auth.region, auth.service, auth.terminator].join('/');
  const expected = Buffer.from(computeSignature(secret.secretAccessKey, amzDate, scope, canonicalRequest(request, auth.signedHeaders)));
  const given = Buffer.from(auth.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new AwsError(
      `${CORAL}InvalidSignatureException`,
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return secret;
}
