// Cognito Identity's failures and what the credential provider does about each, against the stack.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Fault, type Stack } from '../../stack/index';
import { ALARMS } from '../../src/background/platform/alarms';
import { renewDue } from '../../src/background/lifecycle/renew';
import { awsIdentity, rememberedIdentityId } from '../../src/background/credentials';
import { createDatasetService } from '../../src/background/sync/dataset-service';
import { workerDatasetDeps } from '../../src/background/sync/handlers';
import { createHandlers } from '../../src/background/worker';
import { wayOut } from '../../src/popup/way-out';
import { authContext, newProfile, requests, stackSettings, type TestContext } from '../support/auth-context';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => {
  stack.resetCounters();
  stack.clearFaults();
});

/** Signed in, with the credentials dropped so that the next call fetches new ones. */
async function signedInWithoutCredentials(): Promise<TestContext> {
  const ctx = authContext(newProfile());
  await ctx.items.settings.set(stackSettings(stack));
  await createHandlers(ctx).signIn();
  await ctx.items.awsCredentials.remove();
  stack.resetCounters();
  return ctx;
}

function cognitoFault(operation: 'GetId' | 'GetCredentialsForIdentity', errorType: string, message: string, count = 1): Fault {
  return { service: 'cognito-identity', operation, kind: 'error', errorType, message, count };
}

describe('the AWS credential provider', () => {
  it('answers credentials the AWS SDK can use, for the signed-in identity', async () => {
    const ctx = await signedInWithoutCredentials();
    const aws = await awsIdentity(ctx);
    const credentials = await aws.credentials();
    expect(aws.region).toBe('us-east-1');
    expect(aws.identityId).toBe(await rememberedIdentityId(ctx));
    expect(credentials).toMatchObject({ accessKeyId: expect.any(String), secretAccessKey: expect.any(String), sessionToken: expect.any(String) });
    expect(credentials.expiration).toBeInstanceOf(Date);
  });

  it('renews the ID token and retries once when Cognito calls it expired', async () => {
    const ctx = await signedInWithoutCredentials();
    const before = await ctx.items.authTokens.get();
    stack.addFault(cognitoFault('GetCredentialsForIdentity', 'NotAuthorizedException', 'Invalid login token. Token expired: 1 >= 0'));

    await awsIdentity(ctx);

    expect(requests(stack)('oidc.token')).toBe(1);
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(2);
    // Refreshed (the ID token may be byte-identical within the same second; the rotated refresh token is not).
    expect((await ctx.items.authTokens.get())?.refreshToken).not.toBe(before?.refreshToken);
  });

  it('stays signed in, says why and retries in a minute when Cognito calls even the renewed ID token expired', async () => {
    const ctx = await signedInWithoutCredentials();
    stack.addFault(cognitoFault('GetCredentialsForIdentity', 'NotAuthorizedException', 'Invalid login token. Token expired: 1 >= 0', 2));

    await expect(awsIdentity(ctx)).rejects.toMatchObject({ code: 'AUTH_INVALID_TOKEN' });

    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(2);
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedIn', error: { code: 'AUTH_INVALID_TOKEN' } });
    const retry = ctx.alarms.scheduled.get(ALARMS.renew);
    expect(retry).toBeGreaterThan(Date.now() + 30_000);
    expect(retry).toBeLessThanOrEqual(Date.now() + 60_000);

    // The fault has passed: the retry renews and the error goes.
    await renewDue(ctx);
    const state = await createHandlers(ctx).getAuthState();
    expect(state.status).toBe('signedIn');
    expect(state.error).toBeUndefined();
    expect(await ctx.items.awsCredentials.get()).toBeDefined();
  });

  it('retries through the renewal alarm too when Cognito calls the renewed ID token expired', async () => {
    const ctx = await signedInWithoutCredentials();
    stack.addFault(cognitoFault('GetCredentialsForIdentity', 'NotAuthorizedException', 'Invalid login token. Token expired: 1 >= 0', 2));

    await renewDue(ctx);

    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedIn', error: { code: 'AUTH_INVALID_TOKEN' } });
    expect(ctx.alarms.scheduled.get(ALARMS.renew)).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('forgets a stale identity id and asks GetId again', async () => {
    const ctx = await signedInWithoutCredentials();
    const before = await rememberedIdentityId(ctx);
    stack.addFault(cognitoFault('GetCredentialsForIdentity', 'ResourceNotFoundException', 'Identity not found.'));

    const aws = await awsIdentity(ctx);

    expect(requests(stack)('cognito-identity.GetId')).toBe(1);
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(2);
    // The stack knows this person already: GetId gives the same id back, so nothing of theirs here moves.
    expect(aws.identityId).toBe(before);
    expect(await ctx.items.identityMoves.get()).toBeUndefined();
  });

  it('asks GetId again when Cognito refuses a remembered identity, disabled or merged into another', async () => {
    const ctx = await signedInWithoutCredentials();
    const before = await rememberedIdentityId(ctx);
    stack.addFault(cognitoFault('GetCredentialsForIdentity', 'NotAuthorizedException', `Access to Identity '${before}' is forbidden.`));

    const aws = await awsIdentity(ctx);

    expect(requests(stack)('cognito-identity.GetId')).toBe(1);
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(2);
    expect(aws.identityId).toBe(before);
  });

  it('says the identity is refused, sending nobody to the settings, when it is refused again after GetId', async () => {
    const ctx = await signedInWithoutCredentials();
    const before = await rememberedIdentityId(ctx);
    stack.addFault(cognitoFault('GetCredentialsForIdentity', 'NotAuthorizedException', `Access to Identity '${before}' is forbidden.`, 2));

    await expect(awsIdentity(ctx)).rejects.toMatchObject({ code: 'CREDENTIALS_IDENTITY_REFUSED' });
    expect(requests(stack)('cognito-identity.GetId')).toBe(1);
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(2);
  });

  it('backs off when throttled and succeeds when the throttling passes', async () => {
    const ctx = await signedInWithoutCredentials();
    stack.addFault(cognitoFault('GetCredentialsForIdentity', 'TooManyRequestsException', 'Rate exceeded'));
    await awsIdentity(ctx);
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(2);
  });

  it('gives up with THROTTLED after a bounded number of attempts', async () => {
    const ctx = await signedInWithoutCredentials();
    stack.addFault(cognitoFault('GetCredentialsForIdentity', 'TooManyRequestsException', 'Rate exceeded', 10));
    await expect(awsIdentity(ctx)).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(3);
    // Still signed in: throttling passes.
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedIn', error: { code: 'THROTTLED' } });
  });

  it('refuses with CREDENTIALS_CONFIG when the pool does not trust the provider', async () => {
    const ctx = await signedInWithoutCredentials();
    stack.addFault(
      cognitoFault(
        'GetCredentialsForIdentity',
        'NotAuthorizedException',
        'Invalid login token. Token is not from a supported provider of this identity pool.',
      ),
    );
    await expect(awsIdentity(ctx)).rejects.toMatchObject({
      code: 'CREDENTIALS_CONFIG',
      message: expect.stringContaining('In the Cognito console, add'),
    });
    // A configuration error is not retried.
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(1);
  });

  it('says the ID token is too long for Cognito, and what to change, without sending it, when it is over 50,000 characters', async () => {
    const ctx = await signedInWithoutCredentials();
    const tokens = await ctx.items.authTokens.get();
    if (!tokens) throw new Error('signed in without tokens');
    // As a provider that adds a long group list to its ID tokens would sign one (Cognito's check is on length alone).
    const idToken = `${tokens.idToken}${'x'.repeat(50_001 - tokens.idToken.length)}`;
    await ctx.items.authTokens.set({ ...tokens, idToken });
    await expect(awsIdentity(ctx)).rejects.toMatchObject({
      code: 'AUTH_TOKEN_TOO_LARGE',
      message: expect.stringMatching(/ID token is 50001 characters long; Amazon Cognito takes at most 50000\. Have the provider put fewer claims/),
    });
    expect(requests(stack)('cognito-identity.GetId')).toBe(0);
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(0);
  });

  it('reports NETWORK when Cognito cannot be reached', async () => {
    const ctx = await signedInWithoutCredentials();
    await ctx.items.settings.set({ ...stackSettings(stack), cognitoIdentityEndpoint: 'http://127.0.0.1:9/cognito-identity' });
    await expect(awsIdentity(ctx)).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringContaining('127.0.0.1:9') });
  });

  it('says the site access was turned off, with the options page, when a host the settings use is no longer granted', async () => {
    const ctx = await signedInWithoutCredentials();
    await ctx.items.settings.set({ ...stackSettings(stack), cognitoIdentityEndpoint: 'http://127.0.0.1:9/cognito-identity' });
    const asked: string[] = [];
    let granted = false;
    ctx.permissions = {
      remove: async () => true,
      contains: async ({ origins }) => {
        asked.push(...origins);
        return granted;
      },
    };
    const error = await awsIdentity(ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('no longer lets the extension reach 127.0.0.1') });
    expect(wayOut('PERMISSION_DENIED')).toBe('openSettings');
    expect(asked).toContain('http://127.0.0.1/*');
    expect((await createHandlers(ctx).getAuthState()).error).toMatchObject({ code: 'PERMISSION_DENIED' });
    // Granted, the same failure is the network's.
    granted = true;
    await expect(awsIdentity(ctx)).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('throws AUTH_REQUIRED when nobody is signed in and NOT_CONFIGURED without settings', async () => {
    const ctx = authContext(newProfile());
    await expect(awsIdentity(ctx)).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });
    await ctx.items.settings.set(stackSettings(stack));
    await expect(awsIdentity(ctx)).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });
});

describe('a computer whose clock is 20 minutes behind AWS', () => {
  const AHEAD_MS = 20 * 60_000;
  let ahead: Stack;
  beforeAll(async () => {
    ahead = await startStack({ port: 0, allowClassicFlow: true, clock: () => Date.now() + AHEAD_MS });
  });
  afterAll(async () => {
    await ahead?.close();
  });

  it.each([
    ['the enhanced flow', false],
    ['the basic flow', true],
  ])('keeps the credentials of %s until they expire by AWS’s clock, not 20 minutes longer', async (_flow, basic) => {
    const ctx = authContext(newProfile());
    const settings = stackSettings(ahead);
    const { roleArn, endpoints } = ahead.config;
    await ctx.items.settings.set(basic ? { ...settings, roleArn, accountId: '000000000000', stsEndpoint: endpoints.sts } : settings);
    const before = Date.now();
    const state = await createHandlers(ctx).signIn();
    expect(state.error).toBeUndefined();
    const lifetime = (await ctx.items.awsCredentials.get())?.expiresAt ?? 0;
    // Cognito and STS give them an hour on AWS's clock, which is 20 minutes ahead: an hour from now here.
    expect(state.credentialsExpireAt).toBe(lifetime);
    expect(lifetime).toBeGreaterThanOrEqual(before + 3_600_000 - 2_000);
    expect(lifetime).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1_000);
    // Renewed ahead of that, not 20 minutes after AWS has let them go.
    expect(ctx.alarms.scheduled.get(ALARMS.renew)).toBeLessThanOrEqual(lifetime - 5 * 60_000);
  });
});

describe('credentials AWS calls expired before their time here (this computer’s clock moved since they came)', () => {
  let shift = 0;
  let moving: Stack;
  beforeAll(async () => {
    moving = await startStack({ port: 0, clock: () => Date.now() + shift });
  });
  afterAll(async () => {
    await moving?.close();
  });
  beforeEach(() => {
    shift = 0;
    moving.clearFaults();
  });

  /** Signed in, with one edit waiting for its sync; the credentials an hour from their end on both clocks. */
  async function signedInWithAnEdit(): Promise<{ ctx: TestContext; datasets: ReturnType<typeof createDatasetService> }> {
    const ctx = authContext(newProfile());
    await ctx.items.settings.set(stackSettings(moving));
    expect((await createHandlers(ctx).signIn()).error).toBeUndefined();
    const datasets = createDatasetService(ctx, workerDatasetDeps(ctx));
    await datasets.put('colour', 'green');
    moving.resetCounters();
    return { ctx, datasets };
  }

  it('gets new credentials and syncs, with no error to show', async () => {
    const { ctx, datasets } = await signedInWithAnEdit();
    const before = await ctx.items.awsCredentials.get();
    // 70 minutes on for AWS, none here: an hour's credentials are over there, 55 minutes from renewal here.
    shift = 70 * 60_000;

    expect(await datasets.sync()).toMatchObject({ pushed: 1 });

    expect(requests(moving)('cognito-identity.GetCredentialsForIdentity')).toBe(1);
    const after = await ctx.items.awsCredentials.get();
    expect(after?.accessKeyId).not.toBe(before?.accessKeyId);
    // An hour from now on this computer's clock, and renewal set ahead of it.
    expect(after?.expiresAt).toBeGreaterThan(Date.now() + 55 * 60_000);
    expect(ctx.alarms.scheduled.get(ALARMS.renew)).toBeLessThanOrEqual((after?.expiresAt ?? 0) - 5 * 60_000);
    expect((await datasets.open()).lastError).toBeUndefined();
    expect((await createHandlers(ctx).getAuthState()).error).toBeUndefined();
  });

  it('tries renewal again in a minute when the new credentials cannot be had, not when the refused ones were due', async () => {
    const { ctx, datasets } = await signedInWithAnEdit();
    shift = 70 * 60_000;
    moving.addFault({ service: 'cognito-identity', operation: 'GetCredentialsForIdentity', kind: 'error', status: 503, count: 10 });

    const refused = (await ctx.items.awsCredentials.get())?.accessKeyId;

    await expect(datasets.sync()).rejects.toMatchObject({ code: 'SERVICE_DOWN' });

    expect(ctx.alarms.scheduled.get(ALARMS.renew)).toBeLessThanOrEqual(Date.now() + 60_000);
    expect((await datasets.open()).pendingCount).toBe(1);
    // A minute later Cognito answers: that renewal replaces the refused ones, which still had 55 minutes here.
    moving.clearFaults();
    await renewDue(ctx);
    expect((await ctx.items.awsCredentials.get())?.accessKeyId).not.toBe(refused);
    expect(await datasets.sync()).toMatchObject({ pushed: 1 });
  });

  it('says no setting causes it, with Try again, when AWS calls even the new ones expired; the edit waits', async () => {
    const { datasets } = await signedInWithAnEdit();
    moving.addFault({
      service: 'dynamodb',
      operation: 'GetItem',
      kind: 'error',
      errorType: 'com.amazon.coral.service#ExpiredTokenException',
      message: 'The security token included in the request is expired',
      count: 2,
    });

    await expect(datasets.sync()).rejects.toMatchObject({ code: 'CREDENTIALS_EXPIRED' });

    expect(requests(moving)('cognito-identity.GetCredentialsForIdentity')).toBe(1);
    expect(requests(moving)('dynamodb.GetItem')).toBe(2);
    const shown = await datasets.open();
    expect(shown.lastError).toMatchObject({ code: 'CREDENTIALS_EXPIRED', message: expect.stringContaining('No setting causes this') });
    expect(wayOut('CREDENTIALS_EXPIRED')).toBe('retry');
    expect(shown.pendingCount).toBe(1);
  });
});
