// The checks the options page's Check runs (src/shared/checks/, shared with npm run doctor), against real
// local stacks: each way settings are wrong is named against the field a person has to change.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkGetId } from '../../scripts/doctor/cognito';
import { DEV_REDIRECT_URLS } from '../../scripts/extension-ids.mjs';
import { startStack, type Stack } from '../../stack/index';
import { probeCognito } from '../../src/shared/checks/cognito';
import { checkSettings, faultsByField, fetchGetId, undecidedChecks } from '../../src/shared/checks/settings-check';
import type { DoctorContext } from '../../src/shared/checks/types';
import { DEFAULT_SETTINGS, loginsKey, type Settings } from '../../src/shared/settings';

const ctx: DoctorContext = { fetch, timeoutMs: 5_000, getId: fetchGetId(fetch) };

let stack: Stack;
let hs256: Stack;

function settingsOf(target: Stack, changes: Partial<Settings> = {}): Settings {
  return {
    ...DEFAULT_SETTINGS,
    domain: target.url,
    clientId: target.config.clientId,
    identityPoolId: target.config.identityPoolId,
    cognitoIdentityEndpoint: target.config.endpoints.cognitoIdentity,
    dynamodbEndpoint: target.config.endpoints.dynamodb,
    ...changes,
  };
}

async function faults(settings: Settings, redirectUrl: string = DEV_REDIRECT_URLS.chrome) {
  return faultsByField(await checkSettings(ctx, settings, redirectUrl));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  [stack, hs256] = await Promise.all([startStack({ port: 0 }), startStack({ port: 0, idTokenAlg: 'HS256' })]);
});
afterAll(async () => {
  await Promise.all([stack?.close(), hs256?.close()]);
});

describe('Check on settings that work', () => {
  it('passes every check of the local stack, for both browsers’ redirect URLs', async () => {
    for (const redirectUrl of [DEV_REDIRECT_URLS.chrome, DEV_REDIRECT_URLS.firefox]) {
      const results = await checkSettings(ctx, settingsOf(stack), redirectUrl);
      expect(results.map(({ id, status }) => [id, status])).toEqual([
        ['discovery', 'pass'],
        ['issuer', 'pass'],
        ['signing', 'pass'],
        ['jwks', 'pass'],
        ['pkce', 'pass'],
        ['redirectRegistered', 'pass'],
        ['pool', 'pass'],
        ['cognito', 'pass'],
      ]);
    }
  });
});

describe('Check names the field at fault', () => {
  it('Provider domain, for a provider that cannot be reached', async () => {
    const domain = `http://127.0.0.1:${await closedPort()}/`;
    expect(await faults(settingsOf(stack, { domain }))).toEqual({
      domain: { field: 'domain', message: 'checkDiscoveryUnreachable', args: [`${domain}.well-known/openid-configuration`] },
      // The pool is checked all the same: it does not trust a provider it has never heard of.
      identityPoolId: expect.objectContaining({ message: 'checkPoolUntrusted' }),
    });
  });

  it('Provider domain, for a provider that signs ID tokens with HS256 only', async () => {
    const found = await faults(settingsOf(hs256));
    expect(found).toEqual({ domain: { field: 'domain', message: 'checkSigningNotRs256', args: ['HS256'] } });
  });

  it('Provider domain, for a URL where no provider answers', async () => {
    const found = await faults(settingsOf(stack, { domain: `${stack.url}/tenant` }));
    // The stack announces itself at its root only: nothing answers under /tenant.
    expect(found.domain).toMatchObject({ message: 'checkDiscoveryNotProvider' });
  });

  it('Identity pool ID, for a pool that does not trust the provider', async () => {
    // A second stack's provider passes every provider check; the first stack's pool knows only its own.
    const other = await startStack({ port: 0 });
    try {
      const found = await faults(settingsOf(stack, { domain: other.url, clientId: other.config.clientId }));
      expect(found).toEqual({
        identityPoolId: {
          field: 'identityPoolId',
          message: 'checkPoolUntrusted',
          args: [loginsKey(`${other.url}/`), other.config.clientId],
        },
      });
    } finally {
      await other.close();
    }
  });

  it('Identity pool ID, for a pool that does not exist', async () => {
    const identityPoolId = 'us-east-1:00000000-0000-4000-8000-000000000000';
    expect(await faults(settingsOf(stack, { identityPoolId }))).toEqual({
      identityPoolId: { field: 'identityPoolId', message: 'checkPoolNotFound', args: [identityPoolId, stack.config.endpoints.cognitoIdentity] },
    });
  });

  it('Cognito Identity endpoint, for one that cannot be reached or does not answer as Cognito Identity', async () => {
    const closed = `http://127.0.0.1:${await closedPort()}/cognito-identity`;
    expect((await faults(settingsOf(stack, { cognitoIdentityEndpoint: closed }))).cognitoIdentityEndpoint).toMatchObject({
      message: 'checkCognitoUnreachable',
      args: [closed],
    });
    const wrong = `${stack.url}/not-cognito`;
    expect((await faults(settingsOf(stack, { cognitoIdentityEndpoint: wrong }))).cognitoIdentityEndpoint).toMatchObject({
      message: 'checkNotCognito',
      args: [wrong],
    });
  });

  it('Cognito Identity endpoint, for an AWS endpoint of another region than the pool’s', async () => {
    const cognitoIdentityEndpoint = 'https://cognito-identity.eu-west-1.amazonaws.com';
    // Named before any request: nothing is sent to the other region.
    expect(await faults(settingsOf(stack, { cognitoIdentityEndpoint }))).toEqual({
      cognitoIdentityEndpoint: { field: 'cognitoIdentityEndpoint', message: 'errorEndpointRegion', args: [] },
    });
  });

  it('Client ID, when the provider refuses this browser’s redirect URL or does not know the client', async () => {
    const unregistered = 'https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.chromiumapp.org/';
    expect(await faults(settingsOf(stack), unregistered)).toEqual({
      clientId: { field: 'clientId', message: 'checkRedirectRefused', args: [unregistered, '400'] },
    });
    const found = await faults(settingsOf(stack, { clientId: 'no-such-client' }));
    expect(found.clientId).toMatchObject({ message: 'checkRedirectRefused' });
  });
});

describe('GetId over fetch, as the options page sends it', () => {
  it('names no field when the provider or Cognito is failing or busy, and says the check is undecided', async () => {
    const check = async () => {
      const results = await checkSettings(ctx, settingsOf(stack), DEV_REDIRECT_URLS.chrome);
      return { faults: faultsByField(results), undecided: undecidedChecks(results).map(({ message }) => message) };
    };
    stack.addFault({ service: 'cognito-identity', operation: 'GetId', kind: 'error', status: 500, errorType: 'InternalErrorException' });
    expect(await check()).toEqual({ faults: {}, undecided: ['checkCognitoBusy'] });
    stack.addFault({ service: 'cognito-identity', operation: 'GetId', kind: 'error', status: 400, errorType: 'TooManyRequestsException' });
    expect(await check()).toEqual({ faults: {}, undecided: ['checkCognitoBusy'] });
    stack.addFault({ service: 'oidc', operation: 'jwks', kind: 'status', status: 503 });
    expect(await check()).toEqual({ faults: {}, undecided: ['checkProviderBusy'] });
    stack.addFault({ service: 'oidc', operation: 'discovery', kind: 'status', status: 502 });
    expect(await check()).toEqual({ faults: {}, undecided: ['checkProviderBusy'] });
    // A refusal that is not the server's trouble still names its field.
    stack.addFault({ service: 'oidc', operation: 'jwks', kind: 'status', status: 404 });
    expect(await check()).toMatchObject({ faults: { domain: { message: 'checkKeysUnreadable' } }, undecided: [] });
  });

  it('reads Cognito’s answers as the AWS SDK’s client does', async () => {
    const cases: Array<[string, Settings]> = [
      ['trusted', settingsOf(stack)],
      ['untrusted', settingsOf(stack, { domain: hs256.url })],
      ['unknown pool', settingsOf(stack, { identityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000' })],
    ];
    for (const [name, settings] of cases) {
      const input = {
        identityPoolId: settings.identityPoolId,
        endpoint: settings.cognitoIdentityEndpoint,
        providerKey: loginsKey(`${settings.domain}/`),
        clientId: settings.clientId,
      };
      const viaFetch = await probeCognito(ctx, input);
      const viaSdk = await probeCognito({ ...ctx, getId: sdkGetId }, input);
      expect(viaFetch, name).toEqual(viaSdk);
    }
  });
});
