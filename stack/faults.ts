// Injected failures: the next N matching requests fail with an AWS error or an HTTP status, are delayed, or
// lose their connection.
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { isObject, send, sendAws, sendJson } from './http';
import { STS_CONTENT_TYPE, stsErrorXml } from './sts/sts';
import type { Fault, Service } from './types';

const SERVICES: readonly Service[] = ['oidc', 'cognito-identity', 'dynamodb', 'cognito-sync', 'sts'];
const KINDS: ReadonlyArray<Fault['kind']> = ['error', 'status', 'delay', 'drop'];

export interface FaultRegistry {
  add(fault: Fault): void;
  clear(): void;
  /** The first pending fault for this request, consumed. */
  take(service: Service, operation: string): Fault | undefined;
}

export function createFaultRegistry(): FaultRegistry {
  let pending: Array<{ fault: Fault; left: number }> = [];
  return {
    add(fault) {
      pending.push({ fault, left: fault.count ?? 1 });
    },
    clear() {
      pending = [];
    },
    take(service, operation) {
      const match = pending.find(({ fault }) => fault.service === service && (fault.operation ?? operation) === operation);
      if (!match) return undefined;
      match.left -= 1;
      if (match.left <= 0) pending = pending.filter((entry) => entry !== match);
      return match.fault;
    },
  };
}

/** A Fault from untrusted JSON (the admin endpoint), or an Error saying what is wrong with it. */
export function parseFault(value: unknown): Fault {
  if (!isObject(value)) throw new Error('a fault is a JSON object');
  const { service, operation, count, kind, errorType, message, status, delayMs } = value;
  const fault: Fault = {
    service: SERVICES.find((known) => known === service) ?? fail(`service must be one of ${SERVICES.join(', ')}`),
    kind: KINDS.find((known) => known === kind) ?? fail(`kind must be one of ${KINDS.join(', ')}`),
  };
  if (operation !== undefined) fault.operation = typeof operation === 'string' ? operation : fail('operation must be a string');
  if (count !== undefined) fault.count = isCount(count) ? count : fail('count must be a positive integer');
  if (errorType !== undefined) fault.errorType = typeof errorType === 'string' ? errorType : fail('errorType must be a string');
  if (message !== undefined) fault.message = typeof message === 'string' ? message : fail('message must be a string');
  if (status !== undefined) fault.status = isStatus(status) ? status : fail('status must be an HTTP status (100-599)');
  if (delayMs !== undefined) fault.delayMs = isCount(delayMs) || delayMs === 0 ? delayMs : fail('delayMs must be a non-negative integer');
  return fault;
}

function fail(reason: string): never {
  throw new Error(reason);
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && Number(value) > 0;
}

function isStatus(value: unknown): value is number {
  return Number.isInteger(value) && Number(value) >= 100 && Number(value) <= 599;
}

/**
 * Plays a fault. Answers true when the request has been dealt with (answered or dropped); false when it
 * should now be served normally (delay).
 * `awsContentType` is the AWS protocol's content type, undefined for the OpenID Connect provider.
 */
export async function playFault(fault: Fault, req: IncomingMessage, res: ServerResponse, awsContentType: string | undefined): Promise<boolean> {
  switch (fault.kind) {
    case 'delay':
      await sleep(fault.delayMs ?? 0);
      return false;
    case 'drop':
      req.socket.destroy();
      return true;
    case 'error': {
      const status = fault.status ?? 400;
      if (awsContentType === STS_CONTENT_TYPE) {
        send(res, status, stsErrorXml(fault.errorType ?? 'Throttling', fault.message ?? 'Rate exceeded', status), {
          'Content-Type': STS_CONTENT_TYPE,
        });
      } else if (awsContentType) {
        sendAws(res, awsContentType, status, { __type: fault.errorType ?? 'ThrottlingException', message: fault.message ?? 'Rate exceeded' });
      } else {
        // An OAuth 2.0 error response (RFC 6749 §5.2): what an OpenID Connect client understands.
        sendJson(res, status, { error: fault.errorType ?? 'temporarily_unavailable', error_description: fault.message ?? 'injected fault' });
      }
      return true;
    }
    case 'status': {
      const status = fault.status ?? 500;
      const reason = STATUS_CODES[status] ?? 'Error';
      if (awsContentType === STS_CONTENT_TYPE) {
        send(res, status, stsErrorXml(fault.errorType ?? reason.replace(/\W/g, ''), fault.message ?? reason, status), {
          'Content-Type': STS_CONTENT_TYPE,
        });
      } else if (awsContentType) {
        // 500 → InternalServerError, 503 → ServiceUnavailable: the shape AWS front ends answer with.
        sendAws(res, awsContentType, status, { __type: fault.errorType ?? reason.replace(/\W/g, ''), message: fault.message ?? reason });
      } else {
        send(res, status, fault.message ?? reason, { 'Content-Type': 'text/plain; charset=utf-8' });
      }
      return true;
    }
  }
}
