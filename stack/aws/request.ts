// What the AWS JSON protocols share: the operation from X-Amz-Target, and the JSON body.
import type { IncomingMessage } from 'node:http';
import { AwsError, isObject, readBody } from '../http';
import type { JsonObject } from '../http';
import type { ReceivedRequest } from './sigv4';

export interface AwsRequest extends ReceivedRequest {
  /** X-Amz-Target: `<service API>.<operation>`, e.g. 'DynamoDB_20120810.PutItem'. */
  target: string;
  /** 'GetId', 'PutItem'... */
  operation: string;
}

export function operationOf(target: string): string {
  return target.slice(target.lastIndexOf('.') + 1);
}

/** Throws AWS's UnknownOperationException unless X-Amz-Target names this API. */
export function assertTarget(request: AwsRequest, api: string): void {
  if (!request.target.startsWith(`${api}.`)) throw new AwsError('com.amazon.coral.service#UnknownOperationException', '');
}

/** `body`: when the caller has read it already (STS, whose operation is in the body). */
export async function readAwsRequest(req: IncomingMessage, body?: Buffer): Promise<AwsRequest> {
  const target = String(req.headers['x-amz-target'] ?? '');
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headersDistinct,
    body: body ?? (await readBody(req)),
    target,
    operation: operationOf(target),
  };
}

/** The body as a JSON object, or the SerializationException AWS answers. */
export function jsonInput(request: AwsRequest): JsonObject {
  let input: unknown;
  try {
    input = JSON.parse(request.body.toString('utf8') || '{}');
  } catch {
    throw new AwsError('com.amazon.coral.service#SerializationException', 'Start of structure or map found where not expected.');
  }
  if (!isObject(input)) {
    throw new AwsError('com.amazon.coral.service#SerializationException', 'Start of structure or map found where not expected.');
  }
  return input;
}

export function validationError(message: string): AwsError {
  return new AwsError('com.amazon.coral.validate#ValidationException', message);
}
