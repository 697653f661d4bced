// Signing keys: the provider's (its JWKS) and Cognito's (GetOpenIdToken). Kept with --data so that a
// restarted stack still accepts the tokens it signed before.
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { isObject } from './http';
import { jsonFile } from './json-file';

export interface SigningKeys {
  /** Private RS256 JWK the OpenID Connect provider signs ID tokens with. */
  oidc: JWK;
  /** Private RS256 JWK Cognito's GetOpenIdToken signs with. */
  cognito: JWK;
}

function isPrivateRsaJwk(value: unknown): value is JWK {
  return isObject(value) && value['kty'] === 'RSA' && typeof value['d'] === 'string' && typeof value['kid'] === 'string';
}

function isSigningKeys(value: unknown): value is SigningKeys {
  return isObject(value) && isPrivateRsaJwk(value['oidc']) && isPrivateRsaJwk(value['cognito']);
}

async function newKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

export async function loadSigningKeys(dataDir: string | undefined): Promise<SigningKeys> {
  const file = jsonFile(dataDir, 'keys.json', isSigningKeys);
  const stored = await file.load();
  if (stored) return stored;
  const stamp = Date.now().toString(36);
  // RSA generation takes a while and runs off the main thread: make both keys at once.
  const [oidc, cognito] = await Promise.all([newKey(`oidc-${stamp}`), newKey(`cognito-${stamp}`)]);
  const keys = { oidc, cognito };
  await file.save(keys);
  return keys;
}

/** The public half of a private JWK, as a JWKS publishes it. */
export function publicJwk(jwk: JWK): JWK {
  const { d, p, q, dp, dq, qi, ...publicMembers } = jwk;
  return publicMembers;
}
