// The basic (classic) flow, chosen by a role ARN in the settings, run by the worker's real modules in Node
// against the local stack: GetId, GetOpenIdToken, then STS AssumeRoleWithWebIdentity with that role.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type ExtraRole, type Fault, type Stack } from '../../stack/index';
import { awsIdentity, rememberedIdentityId } from '../../src/background/credentials';
import { workerDatasetDeps } from '../../src/background/sync/handlers';
import { createHandlers } from '../../src/background/worker';
import { createDatasetService } from '../../src/background/sync/dataset-service';
import type { Settings } from '../../src/shared/settings';
import { afterBrowserRestart, authContext, newProfile, requests, stackSettings, type Profile, type TestContext } from '../support/auth-context';

const COGNITO = 'cognito-identity.amazonaws.com';
const ROLES: ExtraRole[] = [
  {
    name: 'OtherPoolRole',
    trustPolicy: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: COGNITO },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${COGNITO}:aud`]: 'us-east-1:00000000-0000-4000-8000-000000000000' } },
        },
      ],
    },
  },
  {
    name: 'GoogleRole',
    trustPolicy: { Statement: [{ Effect: 'Allow', Principal: { Federated: 'accounts.google.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }] },
  },
];
const roleArn = (name: string) => `arn:aws:iam::000000000000:role/${name}`;

let stack: Stack;
let enhancedOnly: Stack;

beforeAll(async () => {
  [stack, enhancedOnly] = await Promise.all([startStack({ port: 0, allowClassicFlow: true, roles: ROLES }), startStack({ port: 0 })]);
});
afterAll(async () => {
  await Promise.all([stack?.close(), enhancedOnly?.close()]);
});
beforeEach(() => {
  stack.resetCounters();
  stack.clearFaults();
});

function basicSettings(target: Stack, role = target.config.roleArn): Settings {
  return { ...stackSettings(target), roleArn: role, accountId: '000000000000', stsEndpoint: target.config.endpoints.sts };
}

async function configured(profile: Profile, settings = basicSettings(stack)): Promise<TestContext> {
  const ctx = authContext(profile);
  await ctx.items.settings.set(settings);
  return ctx;
}

/** Signed in with the basic flow, then the credentials dropped so that the next call fetches new ones. */
async function signedInWithoutCredentials(): Promise<TestContext> {
  const ctx = await configured(newProfile());
  await createHandlers(ctx).signIn();
  await ctx.items.awsCredentials.remove();
  stack.resetCounters();
  return ctx;
}

/** Every AWS request and the token request, as counted by the stack, since the last reset. */
function awsRequests(target: Stack): Record<string, number> {
  return Object.fromEntries(
    Object.entries(target.counters())
      .filter(([key]) => key === 'oidc.token' || key.startsWith('cognito-identity.') || key.startsWith('sts.') || key.startsWith('dynamodb.'))
      .map(([key, counter]) => [key, counter.requests]),
  );
}

function stsFault(errorType: string, message: string, count = 1): Fault {
  return { service: 'sts', operation: 'AssumeRoleWithWebIdentity', kind: 'error', errorType, message, count };
}

describe('the basic flow', () => {
  it('signs in with 4 requests after the login page: token, GetId, GetOpenIdToken, AssumeRoleWithWebIdentity', async () => {
    const ctx = await configured(newProfile());
    const state = await createHandlers(ctx).signIn();

    expect(state).toMatchObject({ status: 'signedIn', identityId: expect.stringMatching(/^us-east-1:/) });
    expect(awsRequests(stack)).toEqual({
      'oidc.token': 1,
      'cognito-identity.GetId': 1,
      'cognito-identity.GetOpenIdToken': 1,
      'sts.AssumeRoleWithWebIdentity': 1,
    });
    const credentials = await ctx.items.awsCredentials.get();
    expect(credentials?.identityId).toBe(state.identityId);
    // STS's default hour, as the extension asks for it.
    expect((credentials?.expiresAt ?? 0) - Date.now()).toBeGreaterThan(3500_000);

    // Until they are due, the credentials are used as they are.
    stack.resetCounters();
    await (await awsIdentity(ctx)).credentials();
    expect(awsRequests(stack)).toEqual({});
  });

  it('after a worker restart renews the credentials without GetId', async () => {
    const profile = newProfile();
    const first = await createHandlers(await configured(profile)).signIn();
    const restarted = authContext(profile);
    // The credentials are due: what the renewal alarm or the next sync would find.
    await restarted.items.awsCredentials.remove();
    stack.resetCounters();

    const aws = await awsIdentity(restarted);

    expect(aws.identityId).toBe(first.identityId);
    expect(awsRequests(stack)).toEqual({ 'cognito-identity.GetOpenIdToken': 1, 'sts.AssumeRoleWithWebIdentity': 1 });
    expect(restarted.identity.calls).toHaveLength(0);
  });

  it('after a browser restart signs in again without GetId', async () => {
    const profile = newProfile();
    const first = await createHandlers(await configured(profile)).signIn();
    stack.resetCounters();

    const ctx = authContext(afterBrowserRestart(profile));
    const second = await createHandlers(ctx).signIn();

    expect(second.identityId).toBe(first.identityId);
    expect(awsRequests(stack)).toEqual({ 'oidc.token': 1, 'cognito-identity.GetOpenIdToken': 1, 'sts.AssumeRoleWithWebIdentity': 1 });
  });

  it('syncs the dataset with those credentials, into the partition the enhanced flow reaches too', async () => {
    const basic = await configured(newProfile(), { ...basicSettings(stack), datasetName: 'BasicFlow' });
    await createHandlers(basic).signIn();
    const service = createDatasetService(basic, workerDatasetDeps(basic));
    await service.put('from-the-basic-flow', 'hello');
    await service.sync();
    expect(awsRequests(stack)['dynamodb.TransactWriteItems']).toBeGreaterThan(0);

    // The same person in another browser, on the enhanced flow, gets the same identity and the record.
    const enhanced = authContext(newProfile());
    await enhanced.items.settings.set({ ...stackSettings(stack), datasetName: 'BasicFlow' });
    await createHandlers(enhanced).signIn();
    expect(await rememberedIdentityId(enhanced)).toBe(await rememberedIdentityId(basic));
    const other = createDatasetService(enhanced, workerDatasetDeps(enhanced));
    await other.sync();
    expect((await other.list()).map((record) => [record.key, record.value])).toEqual([['from-the-basic-flow', 'hello']]);
  });

  it('forgets a stale identity id at GetOpenIdToken and asks GetId again, as the enhanced flow does', async () => {
    const ctx = await signedInWithoutCredentials();
    const before = await rememberedIdentityId(ctx);
    stack.addFault({
      service: 'cognito-identity',
      operation: 'GetOpenIdToken',
      kind: 'error',
      errorType: 'ResourceNotFoundException',
      message: 'Identity not found.',
    });

    const aws = await awsIdentity(ctx);

    expect(aws.identityId).toBe(before);
    expect(awsRequests(stack)).toEqual({ 'cognito-identity.GetId': 1, 'cognito-identity.GetOpenIdToken': 2, 'sts.AssumeRoleWithWebIdentity': 1 });
  });
});

describe('each failure of the basic flow has its own sentence', () => {
  it('a pool without the classic flow: CREDENTIALS_BASIC_FLOW_OFF, saying to clear the role or allow the flow', async () => {
    const ctx = await configured(newProfile(), basicSettings(enhancedOnly));
    await expect(createHandlers(ctx).signIn()).rejects.toMatchObject({
      code: 'CREDENTIALS_BASIC_FLOW_OFF',
      message: `The identity pool ${enhancedOnly.config.identityPoolId} does not allow the basic (classic) flow that a Role ARN in the settings asks for. Either clear Role ARN to use the enhanced flow, or turn on Basic (classic) authentication in the pool (CloudFormation: AllowClassicFlow=true).`,
    });
    expect(requests(enhancedOnly)('cognito-identity.GetOpenIdToken')).toBe(1);
    expect(requests(enhancedOnly)('sts.AssumeRoleWithWebIdentity')).toBe(0);
  });

  it.each([
    ['does not trust cognito-identity.amazonaws.com', 'GoogleRole'],
    ['trusts another pool (aud)', 'OtherPoolRole'],
    ['does not exist', 'NoSuchRole'],
  ])('a role that %s: CREDENTIALS_ROLE_NOT_TRUSTED, naming the trust policy’s principal and conditions', async (_what, name) => {
    const ctx = await signedInWithoutCredentials();
    await ctx.items.settings.set(basicSettings(stack, roleArn(name)));
    await expect(awsIdentity(ctx)).rejects.toMatchObject({
      code: 'CREDENTIALS_ROLE_NOT_TRUSTED',
      message:
        `AWS STS refused to let you assume the role ${roleArn(name)}. Check, in IAM, that this role exists and that its trust policy allows ` +
        'sts:AssumeRoleWithWebIdentity for the principal cognito-identity.amazonaws.com, with cognito-identity.amazonaws.com:aud equal to ' +
        `${stack.config.identityPoolId} and cognito-identity.amazonaws.com:amr containing authenticated. AWS does not say which of these failed.`,
    });
    // A configuration error is not retried.
    expect(requests(stack)('sts.AssumeRoleWithWebIdentity')).toBe(1);
  });

  it('a role whose maximum session is shorter than an hour: CREDENTIALS_ROLE_DURATION, saying to lengthen it', async () => {
    const ctx = await signedInWithoutCredentials();
    stack.addFault(stsFault('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'));
    await expect(awsIdentity(ctx)).rejects.toMatchObject({
      code: 'CREDENTIALS_ROLE_DURATION',
      message: `The role ${stack.config.roleArn} allows sessions shorter than the 3600 seconds the extension asks for. In IAM, set the role's maximum session duration to at least 1 hour.`,
    });
  });

  it.each([
    ['a pool without the classic flow', 'CREDENTIALS_BASIC_FLOW_OFF', () => basicSettings(enhancedOnly), undefined],
    ['a role that does not trust the pool', 'CREDENTIALS_ROLE_NOT_TRUSTED', () => basicSettings(stack, roleArn('OtherPoolRole')), undefined],
    [
      'a role with a short maximum session',
      'CREDENTIALS_ROLE_DURATION',
      () => basicSettings(stack),
      stsFault('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'),
    ],
  ] as const)('%s ends the sign-in (%s): signed out, no tokens kept, the reason shown', async (_what, code, settings, fault) => {
    const ctx = await configured(newProfile(), settings());
    if (fault) stack.addFault(fault);
    await expect(createHandlers(ctx).signIn()).rejects.toMatchObject({ code });
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedOut', error: { code } });
    expect(await ctx.items.authTokens.get()).toBeUndefined();
  });

  it('STS throttling that does not pass: THROTTLED, still signed in', async () => {
    const ctx = await signedInWithoutCredentials();
    stack.addFault(stsFault('Throttling', 'Rate exceeded', 10));
    await expect(awsIdentity(ctx)).rejects.toMatchObject({ code: 'THROTTLED' });
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedIn', error: { code: 'THROTTLED' } });
  });

  it('STS out of reach: NETWORK, naming its host', async () => {
    const ctx = await signedInWithoutCredentials();
    await ctx.items.settings.set({ ...basicSettings(stack), stsEndpoint: 'http://127.0.0.1:9/sts' });
    await expect(awsIdentity(ctx)).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringContaining('127.0.0.1:9') });
  });
});
