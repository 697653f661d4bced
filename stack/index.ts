// The local stack: an Auth0-shaped OpenID Connect provider, Cognito Identity, STS, DynamoDB and Cognito Sync on one port.
// `npm run stack` (stack/cli.ts) or startStack() in tests. Docs: docs/local-stack.md
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { DEV_REDIRECT_URLS } from '../scripts/extension-ids.mjs';
import { createAdmin } from './admin';
import { createCognitoIdentity } from './cognito/identity';
import { createCognitoSync } from './cognito-sync/service';
import { openSyncStore } from './cognito-sync/store';
import { DEFAULT_PORT, DEFAULT_TTL } from './defaults';
import { createMeter } from './counters';
import { openCredentialStore } from './cognito/credentials';
import { createDynamoDbGateway } from './dynamodb/gateway';
import { DEPLOYED_POLICY, policyAllowing } from './dynamodb/policy';
import { openEngine } from './dynamodb/engine';
import type { DynamoEngine } from './dynamodb/engine';
import { createFaultRegistry } from './faults';
import { createMutex } from './mutex';
import { openIdentityStore } from './cognito/identities';
import { loadSigningKeys, publicJwk } from './keys';
import { createLoginPage } from './oidc/login-page';
import { createLoginVerifier } from './cognito/login-verifier';
import { CLIENT_ID, createIdentityProvider } from './oidc/provider';
import { allowedHosts } from './request-guard';
import { createRouter } from './router';
import { createRoleRegistry } from './sts/roles';
import { createSts } from './sts/sts';
import { TABLE_NAME } from './dynamodb/table';
import type { Stack, StackConfig, StackOptions } from './types';
import { ACCOUNTS } from './oidc/users';

export { DEFAULT_DATA_DIR, DEFAULT_PORT, DEFAULT_TTL } from './defaults';
export type { Counter, Counters, ExtraRole, Fault, SeededUser, Service, Stack, StackConfig, StackOptions, TrustedProvider } from './types';

export const REGION = 'us-east-1';
export const IDENTITY_POOL_ID = `${REGION}:5ca1ab1e-0000-4000-8000-00000000c0de`;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('not listening on a TCP port'));
      else resolve(address.port);
    });
  });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = options.memory === true ? undefined : options.dataDir;
  const ttl = {
    idToken: options.idTokenTtl ?? DEFAULT_TTL.idTokenTtl,
    accessToken: options.accessTokenTtl ?? DEFAULT_TTL.accessTokenTtl,
    refreshToken: options.refreshTokenTtl ?? DEFAULT_TTL.refreshTokenTtl,
    session: options.sessionTtl ?? DEFAULT_TTL.sessionTtl,
    credentials: options.credentialsTtl ?? DEFAULT_TTL.credentialsTtl,
  };
  const now = options.clock ?? (() => Date.now());

  const server = createServer();
  const port = await listen(server, options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  // Auth0's issuer ends with a slash; so does ours.
  const issuer = `${url}/`;

  let engine: DynamoEngine | undefined;
  const shutdown = async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
    await engine?.close();
  };

  try {
    const keys = await loadSigningKeys(dataDir);
    engine = await openEngine(dataDir === undefined ? undefined : join(dataDir, 'dynamodb'));
    const credentials = await openCredentialStore(dataDir, now);
    const identities = await openIdentityStore(dataDir);
    const syncStore = await openSyncStore(dataDir);
    const redirectUris = [...new Set([DEV_REDIRECT_URLS.chrome, DEV_REDIRECT_URLS.firefox, ...(options.redirectUris ?? [])])];

    const provider = createIdentityProvider({
      issuer,
      redirectUris,
      signingKey: keys.oidc,
      idTokenAlg: options.idTokenAlg ?? 'RS256',
      ttl,
      avatarUrl: (username) => `${url}/avatars/${username}.svg`,
    });
    const verifyLogin = createLoginVerifier(
      [{ issuer, clientIds: [CLIENT_ID], jwks: { keys: [publicJwk(keys.oidc)] } }, ...(options.trust ?? [])],
      now,
    );
    const roles = createRoleRegistry(IDENTITY_POOL_ID, options.roles, options.authenticatedRoleTrust);
    const allowClassicFlow = options.allowClassicFlow ?? false;
    const config: StackConfig = {
      issuer,
      clientId: CLIENT_ID,
      identityPoolId: IDENTITY_POOL_ID,
      region: REGION,
      tableName: TABLE_NAME,
      endpoints: { cognitoIdentity: `${url}/cognito-identity`, dynamodb: `${url}/dynamodb`, cognitoSync: `${url}/cognito-sync`, sts: `${url}/sts` },
      backends: ['dynamodb', 'cognitoSync'],
      roleArn: roles.deployed.arn,
      allowClassicFlow,
      redirectUris,
      users: ACCOUNTS.map(({ username, password, name, email }) => ({ username, password, name, email })),
    };
    const cognito = createCognitoIdentity({
      poolId: IDENTITY_POOL_ID,
      verifyLogin,
      identities,
      credentials,
      credentialsTtl: ttl.credentials,
      openIdKey: keys.cognito,
      allowClassicFlow,
      authenticatedRoleTrust: roles.deployed.trustPolicy,
      now,
    });
    // Both sides of two identities merged, one merge at a time. Cognito Identity's refusals are checked first and
    // its side is written last, after Cognito Sync's (which moves nothing when it refuses): a refusal leaves no half.
    const merges = createMutex();
    const mergeIdentities = (from: string, into: string): Promise<string[]> =>
      merges.run(async () => {
        identities.checkMerge(from, into);
        const moved = await syncStore.mergeIdentities(from, into, now());
        await identities.merge(from, into);
        return moved;
      });
    const meter = createMeter();
    const faults = createFaultRegistry();
    const hosts = allowedHosts(port);

    server.on(
      'request',
      createRouter({
        provider: provider.callback(),
        loginPage: createLoginPage(provider),
        admin: createAdmin({ config, meter, faults, hosts, mergeIdentities }),
        cognito,
        dynamodb: createDynamoDbGateway({
          engine,
          credentials,
          region: REGION,
          now,
          policy: options.allowedActions ? policyAllowing(options.allowedActions) : DEPLOYED_POLICY,
          holdTransaction: options.holdTransaction,
        }),
        // The stack's credentials lifetime stands for STS's default DurationSeconds (one hour).
        sts: createSts({ roles, credentials, cognitoJwks: cognito.jwks, poolId: IDENTITY_POOL_ID, defaultDuration: ttl.credentials, now }),
        cognitoSync: createCognitoSync({ store: syncStore, credentials, region: REGION, poolId: IDENTITY_POOL_ID, now }),
        faults,
        meter,
        log: options.log ?? false,
        hosts,
        now,
      }),
    );

    let closing: Promise<void> | undefined;
    return {
      url,
      config,
      counters: () => meter.snapshot(),
      resetCounters: () => meter.reset(),
      addFault: (fault) => faults.add(fault),
      clearFaults: () => faults.clear(),
      mergeIdentities,
      close: () => (closing ??= shutdown()),
    };
  } catch (error) {
    await shutdown();
    throw error;
  }
}
