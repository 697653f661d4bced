// Rewrites the ID token of the stack's token responses, in the fetch the worker is given: the code
// under test stays the real one, only the provider's answer changes. The JWKS is answered with the
// forger's own key, so a token it signs verifies and each test breaks exactly one thing.
import { base64url, decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

export type Tamper =
  | { kind: 'claims'; change: (claims: JWTPayload, now: number) => JWTPayload }
  | { kind: 'alg-none' }
  | { kind: 'hs256' }
  | { kind: 'foreign-key' }
  | { kind: 'unknown-kid' };

const KID = 'forger';

export interface Forger {
  fetch: typeof fetch;
  /** The tampering applied to the next token responses; undefined passes them through re-signed. */
  tamper: Tamper | undefined;
}

async function signWith(claims: JWTPayload, key: CryptoKey, kid = KID): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
}

export async function createForger(tokenEndpoint: string, jwksUri: string): Promise<Forger> {
  const own = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  const publicJwk: JWK = { ...(await exportJWK(own.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };

  async function forge(idToken: string, tamper: Tamper | undefined): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims = decodeJwt(idToken);
    if (!tamper) return signWith(claims, own.privateKey);
    switch (tamper.kind) {
      case 'claims':
        return signWith(tamper.change({ ...claims }, now), own.privateKey);
      case 'alg-none': {
        const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
        return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
      }
      case 'hs256':
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: KID, typ: 'JWT' })
          .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!'));
      case 'foreign-key':
        // Same kid, another key: only the signature is wrong.
        return signWith(claims, stranger.privateKey);
      case 'unknown-kid':
        // A key id the JWKS does not list, even when asked again.
        return signWith(claims, stranger.privateKey, 'unpublished');
    }
  }

  const forger: Forger = {
    tamper: undefined,
    async fetch(input, init) {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url === jwksUri) return Response.json({ keys: [publicJwk] });
      const response = await fetch(input, init);
      if (url !== tokenEndpoint || !response.ok) return response;
      const body = (await response.json()) as Record<string, unknown>;
      if (typeof body['id_token'] === 'string') body['id_token'] = await forge(body['id_token'], forger.tamper);
      return Response.json(body, { status: response.status, headers: { 'cache-control': 'no-store' } });
    },
  };
  return forger;
}
