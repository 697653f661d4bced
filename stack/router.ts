// One port, five tenants: the OpenID Connect provider at the root, Cognito Identity at /cognito-identity,
// DynamoDB at /dynamodb, Cognito Sync at /cognito-sync, STS at /sts, the admin API at /_stack. Every service request is counted, may meet a fault,
// and AWS requests get AWS's CORS answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { operationOf, readAwsRequest } from './aws/request';
import type { AwsRequest } from './aws/request';
import { COGNITO_CONTENT_TYPE } from './cognito/identity';
import type { CognitoIdentity } from './cognito/identity';
import { COGNITO_SYNC_CONTENT_TYPE } from './cognito-sync/service';
import type { CognitoSync } from './cognito-sync/service';
import { awsCorsHeaders, awsPreflightHeaders } from './cors';
import type { Meter } from './counters';
import { DYNAMODB_CONTENT_TYPE } from './dynamodb/gateway';
import type { DynamoDbGateway } from './dynamodb/gateway';
import { playFault } from './faults';
import type { FaultRegistry } from './faults';
import { AwsError, readBody, send, sendAws, sendAwsError, sendJson } from './http';
import type { JsonObject } from './http';
import { ROUTES } from './oidc/provider';
import { STS_CONTENT_TYPE, stsErrorXml, stsOperation } from './sts/sts';
import type { Sts } from './sts/sts';
import type { Service } from './types';
import { accountByUsername, avatarSvg } from './oidc/users';
import { isForeignHost } from './request-guard';

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface RouterOptions {
  /** oidc-provider's request listener. */
  provider: Handler;
  loginPage: Handler;
  admin: Handler;
  cognito: CognitoIdentity;
  dynamodb: DynamoDbGateway;
  sts: Sts;
  cognitoSync: CognitoSync;
  faults: FaultRegistry;
  meter: Meter;
  log: boolean;
  /** The Host values a request may carry (request-guard.ts); any other is refused before routing. */
  hosts: ReadonlySet<string>;
  /** The stack's clock (StackOptions.clock), which its Date header tells, as AWS's tells its own. */
  now: () => number;
}

interface AwsService {
  contentType: string;
  /** The __type of an unexpected failure. */
  internalError: string;
  handle(request: AwsRequest): Promise<JsonObject>;
}

/** Route path → operation name in counters and faults. */
const COGNITO_JWKS_PATH = '/cognito-identity/.well-known/jwks_uri';

const OIDC_OPERATIONS: ReadonlyArray<readonly [string, string]> = [
  [ROUTES.authorization, 'authorize'],
  [ROUTES.token, 'token'],
  [ROUTES.jwks, 'jwks'],
  [ROUTES.userinfo, 'userinfo'],
  [ROUTES.revocation, 'revoke'],
  [ROUTES.end_session, 'logout'],
  ['/.well-known/openid-configuration', 'discovery'],
  ['/interaction', 'login'],
  ['/avatars', 'avatar'],
];

function serviceOf(path: string): Service | 'admin' {
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  if (under('/_stack')) return 'admin';
  if (under('/cognito-identity')) return 'cognito-identity';
  if (under('/dynamodb')) return 'dynamodb';
  if (under('/sts')) return 'sts';
  if (under('/cognito-sync')) return 'cognito-sync';
  return 'oidc';
}

/** 'authorize', 'token', 'login'... for counters and faults. */
function oidcOperation(path: string): string {
  const match = OIDC_OPERATIONS.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
  return match?.[1] ?? 'other';
}

function awsOperation(req: IncomingMessage, path: string): string {
  if (req.method === 'OPTIONS') return 'preflight';
  if (path === COGNITO_JWKS_PATH) return 'jwks';
  return operationOf(String(req.headers['x-amz-target'] ?? '')) || 'unknown';
}

function serveAvatar(path: string, res: ServerResponse): void {
  const account = accountByUsername(/^\/avatars\/([\w-]+)\.svg$/.exec(path)?.[1] ?? '');
  if (account) send(res, 200, avatarSvg(account), { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=86400' });
  else send(res, 404, 'Not found', { 'Content-Type': 'text/plain' });
}

export function createRouter(options: RouterOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { cognito, dynamodb, cognitoSync, faults, meter } = options;
  const aws: Record<'cognito-identity' | 'dynamodb', AwsService> = {
    'cognito-identity': { contentType: COGNITO_CONTENT_TYPE, internalError: 'InternalErrorException', handle: cognito.handle },
    dynamodb: {
      contentType: DYNAMODB_CONTENT_TYPE,
      internalError: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
      handle: dynamodb.handle,
    },
  };

  async function serveAws(service: AwsService, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      if (req.method === 'GET' && path === COGNITO_JWKS_PATH) return sendJson(res, 200, cognito.jwks);
      if (req.method !== 'POST') throw new AwsError('com.amazon.coral.service#UnknownOperationException', '', 404);
      sendAws(res, service.contentType, 200, await service.handle(await readAwsRequest(req)));
    } catch (error) {
      if (!(error instanceof AwsError)) console.error('local stack: unexpected failure', error);
      const answer = error instanceof AwsError ? error : new AwsError(service.internalError, 'Internal server error', 500);
      if (!res.headersSent) sendAwsError(res, service.contentType, answer);
    }
  }

  /** STS speaks the query protocol: the operation is the form's Action, the answer XML. */
  async function serveSts(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    try {
      if (req.method !== 'POST') throw new AwsError('InvalidAction', 'The local stack answers STS on POST only.');
      const request = await readAwsRequest(req, body);
      send(res, 200, await options.sts.handle(request), { 'Content-Type': STS_CONTENT_TYPE });
    } catch (error) {
      if (!(error instanceof AwsError)) console.error('local stack: unexpected failure', error);
      const answer = error instanceof AwsError ? error : new AwsError('InternalFailure', 'Internal server error', 500);
      if (!res.headersSent) send(res, answer.status, stsErrorXml(answer.type, answer.message, answer.status), { 'Content-Type': STS_CONTENT_TYPE });
    }
  }

  /** restJson1: the operation is the method and the path; any status an AwsError carries. */
  async function serveCognitoSync(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      sendAws(res, COGNITO_SYNC_CONTENT_TYPE, 200, await cognitoSync.handle(await readAwsRequest(req)));
    } catch (error) {
      if (!(error instanceof AwsError)) console.error('local stack: unexpected failure', error);
      const answer = error instanceof AwsError ? error : new AwsError('InternalErrorException', 'Internal server error', 500);
      if (!res.headersSent) sendAwsError(res, COGNITO_SYNC_CONTENT_TYPE, answer);
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (isForeignHost(req, options.hosts)) {
      return send(res, 421, `This is the local stack; it does not answer for host ${String(req.headers.host ?? '(none)')}.`, {
        'Content-Type': 'text/plain',
      });
    }
    const path = new URL(req.url ?? '/', 'http://stack').pathname;
    const service = serviceOf(path);
    if (service === 'admin') return options.admin(req, res);

    if (service === 'sts') {
      const body = req.method === 'POST' ? await readBody(req) : Buffer.alloc(0);
      const operation = req.method === 'OPTIONS' ? 'preflight' : stsOperation(body, req.url ?? '/');
      const key = `sts.${operation}`;
      const started = performance.now();
      meter.request(key, body.length);
      res.on('finish', () => {
        meter.bytesOut(key, Number(res.getHeader('content-length') ?? 0));
        if (options.log) console.log(`${req.method} ${req.url} → ${res.statusCode} ${key} ${(performance.now() - started).toFixed(1)} ms`);
      });
      if (operation === 'preflight') {
        return send(res, 200, '', awsPreflightHeaders(req.headers['access-control-request-method'], req.headers['access-control-request-headers']));
      }
      if (req.headers.origin) for (const [name, value] of Object.entries(awsCorsHeaders())) res.setHeader(name, value);
      const fault = faults.take(service, operation);
      if (fault && (await playFault(fault, req, res, STS_CONTENT_TYPE))) return;
      return serveSts(req, res, body);
    }

    const awsService = service === 'oidc' || service === 'cognito-sync' ? undefined : aws[service];
    const isAws = awsService !== undefined || service === 'cognito-sync';
    const operation =
      service === 'cognito-sync'
        ? req.method === 'OPTIONS'
          ? 'preflight'
          : (cognitoSync.operationOf(req.method ?? 'GET', path) ?? 'unknown')
        : awsService
          ? awsOperation(req, path)
          : oidcOperation(path);
    const key = `${service}.${operation}`;
    const started = performance.now();
    meter.request(key, Number(req.headers['content-length'] ?? 0));
    res.on('finish', () => {
      meter.bytesOut(key, Number(res.getHeader('content-length') ?? 0));
      if (options.log) {
        console.log(`${req.method} ${req.url} → ${res.statusCode} ${key} ${(performance.now() - started).toFixed(1)} ms`);
      }
    });

    if (isAws && operation === 'preflight') {
      return send(res, 200, '', awsPreflightHeaders(req.headers['access-control-request-method'], req.headers['access-control-request-headers']));
    }
    if (isAws && req.headers.origin) for (const [name, value] of Object.entries(awsCorsHeaders())) res.setHeader(name, value);

    const fault = faults.take(service, operation);
    const contentType = service === 'cognito-sync' ? COGNITO_SYNC_CONTENT_TYPE : awsService?.contentType;
    if (fault && (await playFault(fault, req, res, contentType))) return;

    if (service === 'cognito-sync') return serveCognitoSync(req, res);
    if (awsService) return serveAws(awsService, req, res, path);
    if (operation === 'login') return options.loginPage(req, res);
    if (operation === 'avatar') return serveAvatar(path, res);
    return options.provider(req, res);
  }

  return (req, res) => {
    // The SDK corrects its clock from an error's Date when a signature was refused for the time: the stack's
    // own time, by which it judged the signature, not the machine's.
    res.setHeader('Date', new Date(options.now()).toUTCString());
    route(req, res).catch((error: unknown) => {
      console.error('local stack: unexpected failure', error);
      if (!res.headersSent) send(res, 500, 'Internal Server Error', { 'Content-Type': 'text/plain' });
    });
  };
}
