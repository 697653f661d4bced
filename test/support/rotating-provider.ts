// An OpenID Connect provider that rotates its signing key when told, as providers do, and serves its JWKS
// with `Cache-Control: public, max-age=300` as many do: code + PKCE, refresh tokens with rotation, no login
// page (every authorization request is answered at once for one person). Optionally it refuses
// offline_access as Google does (`invalid_scope`), and then hands out no refresh tokens.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export const JWKS_MAX_AGE_S = 300;

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

interface Grant {
  nonce: string;
  offline: boolean;
  codeChallenge?: string;
  redirectUri?: string;
}

export interface RotatingProvider {
  issuer: string;
  clientId: string;
  jwksUri: string;
  /** The kid tokens are signed with now. */
  readonly kid: string;
  /** From now on sign with a new key and publish only it. */
  rotate(): Promise<void>;
  /** Requests per path since the start. */
  requests(path: string): number;
  close(): Promise<void>;
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

function body(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

const token = (): string => randomBytes(24).toString('base64url');

export interface RotatingProviderOptions {
  clientId?: string;
  idTokenTtlS: number;
  /** Answer a request for offline_access with `invalid_scope`, and leave it out of scopes_supported. */
  refuseOfflineAccess?: boolean;
  /** Leave scopes_supported out of the metadata (it is optional). */
  listNoScopes?: boolean;
}

export async function startRotatingProvider(options: RotatingProviderOptions): Promise<RotatingProvider> {
  const clientId = options.clientId ?? 'rotating-client';
  let generation = 1;
  let key = await newKey(`key-${generation}`);
  const codes = new Map<string, Grant>();
  const refreshTokens = new Map<string, Grant>();
  const counts = new Map<string, number>();

  async function tokensFor(grant: Grant): Promise<Record<string, unknown>> {
    const iat = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      iss: issuer,
      aud: clientId,
      sub: 'rotating|dana',
      name: 'Dana',
      email: 'dana@example.com',
      nonce: grant.nonce,
      iat,
      exp: iat + options.idTokenTtlS,
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);
    const answer: Record<string, unknown> = { access_token: token(), token_type: 'Bearer', expires_in: options.idTokenTtlS, id_token: idToken };
    if (grant.offline) {
      const refreshToken = token();
      refreshTokens.set(refreshToken, { nonce: grant.nonce, offline: true });
      answer['refresh_token'] = refreshToken;
    }
    return answer;
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
    const json = (status: number, value: unknown, cacheControl = 'no-store') =>
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': cacheControl }).end(JSON.stringify(value));
    void (async () => {
      switch (url.pathname) {
        case '/.well-known/openid-configuration':
          return json(200, {
            issuer,
            authorization_endpoint: `${issuer}authorize`,
            token_endpoint: `${issuer}token`,
            jwks_uri: `${issuer}jwks`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
            ...(options.listNoScopes
              ? {}
              : { scopes_supported: ['openid', 'profile', 'email', ...(options.refuseOfflineAccess ? [] : ['offline_access'])] }),
            code_challenge_methods_supported: ['S256'],
            grant_types_supported: ['authorization_code', 'refresh_token'],
          });
        case '/jwks':
          return json(200, { keys: [key.publicJwk] }, `public, max-age=${JWKS_MAX_AGE_S}`);
        case '/authorize': {
          const params = url.searchParams;
          const redirectUri = params.get('redirect_uri') ?? '';
          const offline = (params.get('scope') ?? '').split(' ').includes('offline_access');
          const back = new URL(redirectUri);
          if (offline && options.refuseOfflineAccess) {
            back.search = new URLSearchParams({
              error: 'invalid_scope',
              error_description: 'offline_access is not allowed',
              state: params.get('state') ?? '',
              iss: issuer,
            }).toString();
            return res.writeHead(302, { location: back.href }).end();
          }
          const code = token();
          codes.set(code, { nonce: params.get('nonce') ?? '', offline, codeChallenge: params.get('code_challenge') ?? '', redirectUri });
          back.search = new URLSearchParams({ code, state: params.get('state') ?? '', iss: issuer }).toString();
          return res.writeHead(302, { location: back.href }).end();
        }
        case '/token': {
          const form = await body(req);
          if (form.get('client_id') !== clientId) return json(401, { error: 'invalid_client' });
          if (form.get('grant_type') === 'authorization_code') {
            const grant = codes.get(form.get('code') ?? '');
            codes.delete(form.get('code') ?? '');
            const challenge = createHash('sha256')
              .update(form.get('code_verifier') ?? '')
              .digest('base64url');
            if (!grant || grant.codeChallenge !== challenge || grant.redirectUri !== form.get('redirect_uri'))
              return json(400, { error: 'invalid_grant' });
            return json(200, await tokensFor(grant));
          }
          const grant = refreshTokens.get(form.get('refresh_token') ?? '');
          // Rotation: a refresh token works once.
          refreshTokens.delete(form.get('refresh_token') ?? '');
          if (form.get('grant_type') !== 'refresh_token' || !grant) return json(400, { error: 'invalid_grant' });
          return json(200, await tokensFor(grant));
        }
        default:
          return json(404, { error: 'not_found' });
      }
    })().catch((error: unknown) => json(500, { error: 'server_error', error_description: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    issuer,
    clientId,
    jwksUri: `${issuer}jwks`,
    get kid() {
      return key.kid;
    },
    async rotate() {
      generation += 1;
      key = await newKey(`key-${generation}`);
    },
    requests: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
