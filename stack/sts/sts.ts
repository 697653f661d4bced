// AWS STS (the AWS query protocol: a form-encoded POST, an XML answer), AssumeRoleWithWebIdentity only, for
// the basic (classic) flow: it accepts only OpenID tokens the stack's Cognito Identity signed (its key,
// `aud` = the pool, unexpired), evaluates the named role's trust policy, and issues credentials bound to the
// token's identity, which the DynamoDB gateway confines to that identity as for the enhanced flow.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
import { randomBytes } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import type { AwsRequest } from '../aws/request';
import type { CredentialStore } from '../cognito/credentials';
import { OPEN_ID_ISSUER } from '../cognito/identity';
import { ACCOUNT_ID } from '../dynamodb/policy';
import { AwsError } from '../http';
import type { RoleRegistry } from './roles';
import { COGNITO_PRINCIPAL, trustAllows } from './trust-policy';

export const STS_CONTENT_TYPE = 'text/xml';
const VERSION = '2011-06-15';
const NAMESPACE = `https://sts.amazonaws.com/doc/${VERSION}/`;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const MIN_DURATION = 900;
const MAX_DURATION = 43_200;

export interface StsOptions {
  roles: RoleRegistry;
  credentials: CredentialStore;
  /** The public keys of Cognito's GetOpenIdToken: the only tokens this STS accepts. */
  cognitoJwks: JSONWebKeySet;
  poolId: string;
  /** Seconds, when DurationSeconds is absent (STS: one hour). */
  defaultDuration: number;
  now: () => number;
}

export interface Sts {
  /** The XML document to answer with. */
  handle(request: AwsRequest): Promise<string>;
}

/** The form's Action, for counters and faults. */
export function stsOperation(body: Buffer, url: string): string {
  const params = new URLSearchParams(body.toString('utf8'));
  return params.get('Action') ?? new URL(url, 'http://stack').searchParams.get('Action') ?? 'unknown';
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function requestId(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** STS's error document: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function stsErrorXml(code: string, message: string, status: number): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code>` +
    `<Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`
  );
}

function validation(message: string): AwsError {
  return new AwsError('ValidationError', message);
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    throw validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function denied(): AwsError {
  // STS says no more than this, whatever failed: an unknown role, another principal, a condition.
  return new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
}

function invalidToken(message: string): AwsError {
  return new AwsError('InvalidIdentityToken', message);
}

function audiences(payload: JWTPayload): string[] {
  return typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
}

function amrOf(payload: JWTPayload): string[] {
  const amr = payload['amr'];
  return Array.isArray(amr) ? amr.filter((value): value is string => typeof value === 'string') : [];
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createSts(options: StsOptions): Sts {
  const { roles, credentials } = options;
  const keys = createLocalJWKSet(options.cognitoJwks);

  async function verifiedToken(token: string): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      payload = decodeJwt(token);
    } catch {
      throw invalidToken('The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
    }
    if (payload.iss !== OPEN_ID_ISSUER) {
      // Other issuers need an IAM OpenID Connect provider, which the stack's account does not have.
      throw invalidToken(`No OpenIDConnect provider found in your account for ${String(payload.iss)}`);
    }
    try {
      await compactVerify(token, keys, { algorithms: ['RS256'] });
    } catch {
      throw invalidToken('Incorrect token signature');
    }
    const nowSeconds = Math.floor(options.now() / 1000);
    if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) {
      throw new AwsError('ExpiredTokenException', 'Token expired: current date/time must be before the expiration date/time');
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw invalidToken('The token has no sub claim');
    return payload;
  }

  async function assumeRoleWithWebIdentity(params: URLSearchParams): Promise<string> {
    const arn = required(params, 'RoleArn');
    const sessionName = required(params, 'RoleSessionName');
    const token = required(params, 'WebIdentityToken');
    if (!SESSION_NAME.test(sessionName)) {
      throw validation(
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    }
    // STS's model: a WebIdentityToken of 4 to 20,000 characters
    // (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html).
    if (token.length < 4 || token.length > 20_000) {
      throw validation(
        `1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length ${token.length < 4 ? 'greater than or equal to 4' : 'less than or equal to 20000'}`,
      );
    }
    if (!ROLE_ARN.test(arn)) throw validation('Request ARN is invalid');
    const durationText = params.get('DurationSeconds');
    const duration = durationText === null ? options.defaultDuration : Number(durationText);
    if (durationText !== null && (!Number.isInteger(duration) || duration < MIN_DURATION || duration > MAX_DURATION)) {
      throw validation(
        `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${duration < MIN_DURATION ? `greater than or equal to ${MIN_DURATION}` : `less than or equal to ${MAX_DURATION}`}`,
      );
    }

    const payload = await verifiedToken(token);
    const role = roles.find(arn);
    if (!role) throw denied();
    const context = {
      [`${COGNITO_PRINCIPAL}:aud`]: audiences(payload),
      [`${COGNITO_PRINCIPAL}:sub`]: [payload.sub ?? ''],
      [`${COGNITO_PRINCIPAL}:amr`]: amrOf(payload),
    };
    if (!trustAllows(role.trustPolicy, context)) throw denied();
    if (durationText !== null && duration > role.maxSessionDuration) {
      throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }

    // The token's sub is the identity id: the ${cognito-identity.amazonaws.com:sub} of the role's policy.
    const identityId = payload.sub ?? '';
    const issued = await credentials.issue(identityId, duration);
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
    return (
      `<AssumeRoleWithWebIdentityResponse xmlns="${NAMESPACE}"><AssumeRoleWithWebIdentityResult>` +
      `<SubjectFromWebIdentityToken>${xmlEscape(identityId)}</SubjectFromWebIdentityToken>` +
      `<Audience>${xmlEscape(options.poolId)}</Audience>` +
      `<AssumedRoleUser><Arn>arn:aws:sts::${ACCOUNT_ID}:assumed-role/${xmlEscape(role.name)}/${xmlEscape(sessionName)}</Arn>` +
      `<AssumedRoleId>${roleId}:${xmlEscape(sessionName)}</AssumedRoleId></AssumedRoleUser>` +
      `<Credentials><AccessKeyId>${issued.accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(issued.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${xmlEscape(issued.sessionToken)}</SessionToken><Expiration>${isoSeconds(issued.expiresAt)}</Expiration></Credentials>` +
      `<Provider>${COGNITO_PRINCIPAL}</Provider></AssumeRoleWithWebIdentityResult>` +
      `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`
    );
  }

  return {
    async handle(request) {
      const params = new URLSearchParams(request.body.toString('utf8'));
      const action = params.get('Action');
      if (params.get('Version') !== VERSION)
        throw new AwsError(
          'InvalidAction',
          `Could not find operation ${action ?? ''} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
        );
      if (action !== 'AssumeRoleWithWebIdentity') {
        throw new AwsError('InvalidAction', `The local stack does not implement '${action ?? ''}': only AssumeRoleWithWebIdentity.`);
      }
      return assumeRoleWithWebIdentity(params);
    },
  };
}
