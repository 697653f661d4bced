// Verifies an ID token with jose against the provider's JWKS: the signature, not only the claims.
// oauth4webapi checks the claims of a token-endpoint answer but leaves the signature to the caller.
import * as jose from 'jose';
import { AppError } from '../../shared/errors';
import type { Profile } from '../../shared/auth-state';
import { t } from '../../shared/i18n';
import type { Context } from '../platform/context';
import { claimError, idTokenAlgorithmError, joseError } from './auth-errors';
import { CLOCK_TOLERANCE_S, type OidcProvider } from './discovery';
import { providerKeys } from './jwks';

export interface VerifiedIdToken {
  profile: Profile;
  /** `iat` and `exp` in milliseconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

export interface IdTokenExpectations {
  /** The nonce sent with the authorization request; refreshed tokens carry the original one. */
  nonce: string;
  /** On refresh the provider may leave the nonce out; if present it must still be the original. */
  nonceOptional?: boolean;
  /** On renewal the subject must not change. */
  sub?: string;
}

/** A claim (its name, not translated) that is not what this sign-in expects. */
function unexpectedClaim(claim: string): AppError {
  return new AppError('AUTH_INVALID_TOKEN', t('errorIdTokenUnexpectedClaim', claim));
}

function profileOf(claims: jose.JWTPayload & Record<string, unknown>, sub: string): Profile {
  const profile: Profile = { sub };
  for (const field of ['name', 'email', 'picture'] as const) {
    const value = claims[field];
    if (typeof value === 'string' && value !== '') profile[field] = value;
  }
  return profile;
}

export async function verifyIdToken(ctx: Context, provider: OidcProvider, idToken: string, expect: IdTokenExpectations): Promise<VerifiedIdToken> {
  const { as, client } = provider;
  const jwksUri = as.jwks_uri ?? '';
  let header: jose.ProtectedHeaderParameters;
  try {
    header = jose.decodeProtectedHeader(idToken);
  } catch (cause) {
    throw new AppError('AUTH_INVALID_TOKEN', t('errorIdTokenNotJwt'), { cause });
  }
  // Cognito accepts RS256 only: say so plainly instead of "signature verification failed".
  if (header.alg !== 'RS256') throw idTokenAlgorithmError(String(header.alg), undefined);

  let claims: jose.JWTPayload & Record<string, unknown>;
  try {
    ({ payload: claims } = await jose.jwtVerify(idToken, providerKeys(ctx, jwksUri), {
      algorithms: ['RS256'],
      issuer: as.issuer,
      audience: client.client_id,
      clockTolerance: CLOCK_TOLERANCE_S,
      currentDate: new Date(ctx.now()),
      requiredClaims: ['sub', 'iat', 'exp'],
    }));
  } catch (error) {
    throw joseError(error, { jwksUri, issuer: as.issuer, clientId: client.client_id });
  }

  // OpenID Connect Core §3.1.3.7: with several audiences `azp` is required; when present it is us.
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims['azp'] === undefined && audiences.length > 1) throw claimError('aud', claims, { issuer: as.issuer, clientId: client.client_id });
  if (claims['azp'] !== undefined && claims['azp'] !== client.client_id)
    throw claimError('azp', claims, { issuer: as.issuer, clientId: client.client_id });
  const nonceMissingAllowed = expect.nonceOptional === true && claims['nonce'] === undefined;
  if (claims['nonce'] !== expect.nonce && !nonceMissingAllowed) throw new AppError('AUTH_NONCE_MISMATCH', t('errorAuthNonceMismatch'));
  const sub = claims.sub ?? '';
  if (sub === '' || (expect.sub !== undefined && sub !== expect.sub)) throw unexpectedClaim('sub');
  const issuedAt = (claims.iat ?? 0) * 1000;
  const expiresAt = (claims.exp ?? 0) * 1000;
  if (issuedAt > ctx.now() + CLOCK_TOLERANCE_S * 1000) throw new AppError('AUTH_INVALID_TOKEN', t('errorIdTokenIssuedInFuture'));
  return { profile: profileOf(claims, sub), issuedAt, expiresAt };
}
