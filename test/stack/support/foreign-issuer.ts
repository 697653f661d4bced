// Another OpenID Connect issuer, served from the test: discovery and JWKS only, plus a signer, to craft
// the tokens a real provider would not hand out (expired, for another audience...).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';

export interface ForeignIssuer {
  issuer: string;
  clientId: string;
  /** A token signed with this issuer's key; `claims` override the defaults (iss, aud, sub, iat, exp in 1 h). */
  sign(claims?: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

export async function startForeignIssuer(clientId = 'foreign-client'): Promise<ForeignIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'foreign-1', alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    const body =
      req.url === '/.well-known/openid-configuration'
        ? { issuer, jwks_uri: `${issuer}.well-known/jwks.json` }
        : req.url === '/.well-known/jwks.json'
          ? { keys: [jwk] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    issuer,
    clientId,
    sign(claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, aud: clientId, sub: 'foreign|carol', iat: now, exp: now + 3600, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
        .sign(privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
