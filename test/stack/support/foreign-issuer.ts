// Another OpenID Connect issuer, served from the test: discovery and JWKS only, plus a signer, to craft
// the tokens a real provider would not hand out (expired, for another audience...). Like many real
// providers it lets clients cache its JWKS (Cache-Control: max-age=300), and it can rotate its key.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';

export interface ForeignIssuer {
  issuer: string;
  clientId: string;
  /** A token signed with this issuer's current key; `claims` override the defaults (iss, aud, sub, iat, exp in 1 h). */
  sign(claims?: JWTPayload): Promise<string>;
  /** Signs with a new key from now on; the JWKS publishes only the new key. */
  rotate(): Promise<void>;
  /** A token signed with a key this issuer never published (a forgery with a kid of its own). */
  signWithUnpublishedKey(claims?: JWTPayload): Promise<string>;
  /** How many times the JWKS was fetched. */
  jwksRequests(): number;
  close(): Promise<void>;
}

interface SigningKey {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export async function startForeignIssuer(clientId = 'foreign-client'): Promise<ForeignIssuer> {
  let generation = 1;
  let key = await newKey('foreign-1');
  let jwksRequests = 0;
  const server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') jwksRequests += 1;
    const body =
      req.url === '/.well-known/openid-configuration'
        ? { issuer, jwks_uri: `${issuer}.well-known/jwks.json` }
        : req.url === '/.well-known/jwks.json'
          ? { keys: [key.jwk] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const signWith = (signing: SigningKey, claims: JWTPayload) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: issuer, aud: clientId, sub: 'foreign|carol', iat: now, exp: now + 3600, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: signing.jwk.kid ?? '' })
      .sign(signing.privateKey);
  };

  return {
    issuer,
    clientId,
    sign: (claims = {}) => signWith(key, claims),
    async rotate() {
      generation += 1;
      key = await newKey(`foreign-${generation}`);
    },
    signWithUnpublishedKey: async (claims = {}) => signWith(await newKey('never-published'), claims),
    jwksRequests: () => jwksRequests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
