// Amazon Cognito Identity (awsJson1_1, X-Amz-Target: AWSCognitoIdentityService.*), enhanced flow:
// GetId, GetCredentialsForIdentity, and GetOpenIdToken for the basic flow (stack/sts/ takes it from
// there). All three are unsigned calls.
import { importJWK, SignJWT } from 'jose';
import type { JSONWebKeySet, JWK } from 'jose';
import { assertTarget, jsonInput, validationError } from '../aws/request';
import type { AwsRequest } from '../aws/request';
import type { CredentialStore } from './credentials';
import { AwsError, isObject } from '../http';
import type { JsonObject } from '../http';
import { heldLogins, holdsLogin } from './identities';
import type { Identity, IdentityStore } from './identities';
import { publicJwk } from '../keys';
import type { LoginVerifier, VerifiedLogin } from './login-verifier';
import { COGNITO_PRINCIPAL, trustAllows } from '../sts/trust-policy';

export const COGNITO_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** GetOpenIdToken tokens: Cognito's issuer; "valid for 10 minutes" (GetOpenIdToken API reference). */
export const OPEN_ID_ISSUER = 'https://cognito-identity.amazonaws.com';
const OPEN_ID_TTL_SECONDS = 600;
const ID_PATTERN = /^[\w-]+:[0-9a-f-]+$/;

export interface CognitoIdentityOptions {
  poolId: string;
  verifyLogin: LoginVerifier;
  identities: IdentityStore;
  credentials: CredentialStore;
  credentialsTtl: number;
  /** Private JWK GetOpenIdToken signs with. */
  openIdKey: JWK;
  /** The pool's AllowClassicFlow. */
  allowClassicFlow: boolean;
  /**
   * The trust policy of the pool's authenticated role. In the enhanced flow Cognito assumes that role itself,
   * through STS, and answers InvalidIdentityPoolConfigurationException when its trust policy refuses.
   */
  authenticatedRoleTrust: unknown;
  /** The stack's clock (StackOptions.clock), for the tokens GetOpenIdToken issues. */
  now: () => number;
}

export interface CognitoIdentity {
  handle(request: AwsRequest): Promise<JsonObject>;
  /** The keys GetOpenIdToken tokens verify with. */
  jwks: JSONWebKeySet;
}

/** The API reference's constraints on the members the stack reads (GetId, GetCredentialsForIdentity, GetOpenIdToken). */
const ID_MAX_LENGTH = 55;
const ACCOUNT_ID_PATTERN = /^\d+$/;
const ACCOUNT_ID_MAX_LENGTH = 15;
const LOGINS_MAX_ENTRIES = 10;
const LOGINS_KEY_MAX_LENGTH = 128;
const LOGINS_TOKEN_MAX_LENGTH = 50_000;

function requiredId(input: JsonObject, member: 'IdentityPoolId' | 'IdentityId'): string {
  const value = input[member];
  const path = member.charAt(0).toLowerCase() + member.slice(1);
  if (typeof value !== 'string') {
    throw validationError(`1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`);
  }
  if (value.length > ID_MAX_LENGTH) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${ID_MAX_LENGTH}`,
    );
  }
  if (!ID_PATTERN.test(value)) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+`,
    );
  }
  return value;
}

/** GetId's optional AccountId: digits, at most 15 of them. Which account it names is not checked. */
function checkAccountId(input: JsonObject): void {
  const value = input['AccountId'];
  if (value === undefined) return;
  const text = String(value);
  if (typeof value === 'string' && value.length >= 1 && value.length <= ACCOUNT_ID_MAX_LENGTH && ACCOUNT_ID_PATTERN.test(value)) return;
  const constraint =
    typeof value === 'string' && value.length > ACCOUNT_ID_MAX_LENGTH
      ? `Member must have length less than or equal to ${ACCOUNT_ID_MAX_LENGTH}`
      : 'Member must satisfy regular expression pattern: \\d+';
  throw validationError(`1 validation error detected: Value '${text}' at 'accountId' failed to satisfy constraint: ${constraint}`);
}

/**
 * The Logins map, held to its constraints: at most 10 entries, provider names of 1 to 128 characters and tokens of
 * 1 to 50,000. The messages name the member, not the tokens.
 */
function loginsOf(input: JsonObject): Array<[string, string]> {
  const logins = input['Logins'];
  if (!isObject(logins)) return [];
  const entries = Object.entries(logins).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  const refuse = (constraint: string): never => {
    throw validationError(`1 validation error detected: Value at 'logins' failed to satisfy constraint: ${constraint}`);
  };
  if (entries.length > LOGINS_MAX_ENTRIES) refuse(`Member must have length less than or equal to ${LOGINS_MAX_ENTRIES}`);
  const lengths = (max: number) => `[Member must have length less than or equal to ${max}, Member must have length greater than or equal to 1]`;
  if (entries.some(([name]) => name.length < 1 || name.length > LOGINS_KEY_MAX_LENGTH))
    refuse(`Map keys must satisfy constraint: ${lengths(LOGINS_KEY_MAX_LENGTH)}`);
  if (entries.some(([, token]) => token.length < 1 || token.length > LOGINS_TOKEN_MAX_LENGTH))
    refuse(`Map value must satisfy constraint: ${lengths(LOGINS_TOKEN_MAX_LENGTH)}`);
  return entries;
}

/** The provider names of an identity's logins, each once: `amr` after `authenticated`. */
function providersOf(identity: Identity): string[] {
  return [...new Set(heldLogins(identity).map((login) => login.providerName))];
}

export function createCognitoIdentity(options: CognitoIdentityOptions): CognitoIdentity {
  const { poolId, verifyLogin, identities, credentials } = options;
  const signingKey = importJWK(options.openIdKey, 'RS256');

  const verifyAll = (logins: Array<[string, string]>): Promise<VerifiedLogin[]> =>
    Promise.all(logins.map(([providerName, token]) => verifyLogin(providerName, token)));

  /** The identity named in the request, provided the request carries a valid login linked to it. */
  async function authorizedIdentity(input: JsonObject): Promise<Identity> {
    const identityId = requiredId(input, 'IdentityId');
    // Validated before anything is looked up, as AWS does: a malformed request is refused as such.
    const logins = loginsOf(input);
    const identity = identities.find(identityId);
    if (!identity) throw new AwsError('ResourceNotFoundException', `Identity '${identityId}' not found.`);
    // An identity merged into another is disabled, whatever the logins: theirs moved to the surviving one
    // (https://github.com/aws-amplify/amplify-js/issues/6616). Credentials issued before stay valid until they expire.
    if (identity.mergedInto !== undefined) {
      throw new AwsError('NotAuthorizedException', `Access to Identity '${identityId}' is forbidden.`);
    }
    // This pool has no unauthenticated role: an identity without logins may not have credentials.
    if (logins.length === 0) throw new AwsError('NotAuthorizedException', `Access to Identity '${identityId}' is forbidden.`);
    const verified = await verifyAll(logins);
    if (!verified.some(({ providerName, sub }) => holdsLogin(identity, providerName, sub))) {
      throw new AwsError('NotAuthorizedException', "Logins don't match. Please include at least one valid login for this identity or identity pool.");
    }
    return identity;
  }

  const operations: Record<string, (input: JsonObject) => Promise<JsonObject>> = {
    async GetId(input) {
      const requested = requiredId(input, 'IdentityPoolId');
      checkAccountId(input);
      // Validated before the pool is looked up, as AWS does: a malformed request is refused as such.
      const logins = loginsOf(input);
      if (requested !== poolId) throw new AwsError('ResourceNotFoundException', `IdentityPool '${requested}' not found.`);
      if (logins.length === 0) {
        throw new AwsError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
      }
      // Linking several providers to one identity is out of scope: the first login names the identity.
      const [first] = await verifyAll(logins);
      if (!first) throw new Error('unreachable: logins is not empty');
      const identity = await identities.identityFor(poolId, first.providerName, first.sub);
      return { IdentityId: identity.identityId };
    },

    async GetCredentialsForIdentity(input) {
      const identity = await authorizedIdentity(input);
      // The token Cognito hands STS for the identity: aud the pool, sub the identity, amr authenticated and the providers.
      const context = {
        [`${COGNITO_PRINCIPAL}:aud`]: [poolId],
        [`${COGNITO_PRINCIPAL}:sub`]: [identity.identityId],
        [`${COGNITO_PRINCIPAL}:amr`]: ['authenticated', ...providersOf(identity)],
      };
      if (!trustAllows(options.authenticatedRoleTrust, context)) {
        throw new AwsError(
          'InvalidIdentityPoolConfigurationException',
          'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
        );
      }
      const issued = await credentials.issue(identity.identityId, options.credentialsTtl);
      return {
        IdentityId: identity.identityId,
        Credentials: {
          AccessKeyId: issued.accessKeyId,
          SecretKey: issued.secretAccessKey,
          SessionToken: issued.sessionToken,
          Expiration: issued.expiresAt / 1000,
        },
      };
    },

    async GetOpenIdToken(input) {
      // Cognito refuses the public GetOpenIdToken of a pool without the basic flow (its developer-authenticated
      // counterpart, GetOpenIdTokenForDeveloperIdentity, is a signed call the stack does not implement).
      if (!options.allowClassicFlow)
        throw new AwsError('InvalidParameterException', 'Basic (classic) flow is not enabled, please use enhanced flow.');
      const identity = await authorizedIdentity(input);
      // On the stack's clock, which STS judges them by: not the machine's, when a test sets the stack's apart.
      const issuedAt = Math.floor(options.now() / 1000);
      const token = await new SignJWT({ amr: ['authenticated', ...providersOf(identity)] })
        .setProtectedHeader({ alg: 'RS256', kid: options.openIdKey.kid ?? '' })
        .setIssuer(OPEN_ID_ISSUER)
        .setSubject(identity.identityId)
        .setAudience(poolId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + OPEN_ID_TTL_SECONDS)
        .sign(await signingKey);
      return { IdentityId: identity.identityId, Token: token };
    },
  };

  return {
    jwks: { keys: [publicJwk(options.openIdKey)] },
    async handle(request) {
      assertTarget(request, 'AWSCognitoIdentityService');
      const operation = Object.hasOwn(operations, request.operation) ? operations[request.operation] : undefined;
      if (!operation) {
        throw new AwsError('UnknownOperationException', `The local stack does not implement '${request.operation}'.`);
      }
      return operation(jsonInput(request));
    },
  };
}
