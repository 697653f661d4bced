// Small HTTP helpers shared by the stack's handlers, and the AWS JSON error every AWS service answers with.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';

/** DynamoDB refuses request bodies above 16 MB; so do we. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An error answered as AWS answers it: `{"__type": ..., "message": ...}` plus the x-amzn-ErrorType header. */
export class AwsError extends Error {
  constructor(
    /** The wire `__type`, e.g. 'NotAuthorizedException' or 'com.amazonaws.dynamodb.v20120810#ValidationException'. */
    readonly type: string,
    message: string,
    readonly status = 400,
    /** Extra members of the error body, e.g. CancellationReasons. */
    readonly extra: JsonObject = {},
  ) {
    super(message);
    this.name = shortType(type);
  }
}

/** 'com.amazonaws.dynamodb.v20120810#ValidationException' → 'ValidationException'. */
function shortType(type: string): string {
  return type.slice(type.lastIndexOf('#') + 1);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new AwsError('SerializationException', 'Request body too large', 413);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** AWS request ids are 52 upper-case alphanumerics. */
function requestId(): string {
  return randomBytes(39).toString('base64').toUpperCase().replace(/[+/=]/g, '0');
}

export function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  // setHeader rather than writeHead's argument: the counters read Content-Length back from the response.
  for (const [name, value] of Object.entries({ ...headers, 'Content-Length': String(bytes.length) })) res.setHeader(name, value);
  res.writeHead(status);
  res.end(bytes);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });
}

/** An AWS JSON-protocol answer (awsJson1_0 for DynamoDB, awsJson1_1 for Cognito) with AWS's response headers. */
export function sendAws(res: ServerResponse, contentType: string, status: number, body: JsonObject): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'x-amzn-RequestId': requestId(),
    'x-amz-crc32': String(crc32(text)),
  };
  if (typeof body['__type'] === 'string') headers['x-amzn-ErrorType'] = shortType(body['__type']);
  send(res, status, text, headers);
}

export function sendAwsError(res: ServerResponse, contentType: string, error: AwsError): void {
  sendAws(res, contentType, error.status, { __type: error.type, message: error.message, ...error.extra });
}
