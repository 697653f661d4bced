// `npm run doctor` against the local stack (every check passes) and against providers and pools that are
// wrong in one way each: every fault must be named, with its fix.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { sdkGetId } from '../../scripts/doctor/cognito';
import { HS256_FAULT } from '../../src/shared/checks/provider';
import { exitCode } from '../../scripts/doctor/report';
import { runDoctor, type DoctorOptions } from '../../scripts/doctor/run';
import type { CheckId, CheckResult } from '../../src/shared/checks/types';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { serializeSettingsFile } from '../../src/shared/settings-file';
import { idTokenAtStack } from '../support/stack-identity';

const HS256_FIX_PATH = 'Applications → your app → Advanced Settings → OAuth → JSON Web Token Signature Algorithm';
const FAKE_CLIENT = 'fake-client';

let stack: Stack;
let dir: string;

/** A provider that only announces itself: discovery and JWKS, each replaceable per test. */
interface FakeProvider {
  url: string;
  discovery: Record<string, unknown> | number;
  jwks: { keys: JWK[] };
  rsaKey: JWK;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function startFakeProvider(): Promise<FakeProvider> {
  const server = createServer();
  const port = await listen(server);
  const url = `http://127.0.0.1:${port}`;
  const { publicKey } = await generateKeyPair('RS256');
  const rsaKey: JWK = { ...(await exportJWK(publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
  const fake: FakeProvider = {
    url,
    // Shaped like an Auth0 tenant's, which lists HS256 beside RS256 whatever its applications use.
    discovery: {
      issuer: `${url}/`,
      authorization_endpoint: `${url}/authorize`,
      token_endpoint: `${url}/oauth/token`,
      jwks_uri: `${url}/.well-known/jwks.json`,
      end_session_endpoint: `${url}/oidc/logout`,
      response_types_supported: ['code', 'token', 'id_token', 'code id_token'],
      code_challenge_methods_supported: ['S256', 'plain'],
      id_token_signing_alg_values_supported: ['HS256', 'RS256', 'PS256'],
      grant_types_supported: ['authorization_code', 'implicit', 'refresh_token'],
      scopes_supported: ['openid', 'profile', 'offline_access', 'email'],
    },
    jwks: { keys: [rsaKey] },
    rsaKey,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  server.on('request', (request, response) => {
    const path = new URL(request.url ?? '/', url).pathname;
    const answer = path.endsWith('/.well-known/openid-configuration') ? fake.discovery : path === '/.well-known/jwks.json' ? fake.jwks : 404;
    if (typeof answer === 'number') {
      response.writeHead(answer, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  return fake;
}

function stackSettings(target: Stack, changes: Partial<Settings> = {}): Settings {
  return {
    ...DEFAULT_SETTINGS,
    domain: target.url,
    clientId: target.config.clientId,
    identityPoolId: target.config.identityPoolId,
    cognitoIdentityEndpoint: target.config.endpoints.cognitoIdentity,
    dynamodbEndpoint: target.config.endpoints.dynamodb,
    // The stack is not AWS: the doctor, like a release build, takes its endpoints only as custom ones.
    customEndpoints: true,
    ...changes,
  };
}

async function settingsFile(settings: Settings, name = 'settings.json'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, serializeSettingsFile(settings));
  return path;
}

async function doctor(settings: Settings, extra: Partial<DoctorOptions> = {}): Promise<CheckResult[]> {
  return runDoctor({ settingsFile: await settingsFile(settings), flags: {}, ...extra }, { fetch, timeoutMs: 5_000, getId: sdkGetId });
}

function check(results: CheckResult[], id: CheckId): CheckResult {
  const found = results.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no ${id} check in ${JSON.stringify(results)}`);
  return found;
}

/** The CLI as `npm run doctor` runs it. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/doctor.ts', ...args],
      { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  stack = await startStack({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'doctor-'));
});
afterAll(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run doctor against the local stack', () => {
  it('passes every check and exits 0', async () => {
    const { code, stdout } = await cli(['--settings', await settingsFile(stackSettings(stack))]);
    expect(stdout).not.toContain('✗');
    for (const title of [
      'Settings',
      'Discovery',
      'Issuer',
      'ID token signing',
      'Signing keys',
      'Code flow with PKCE',
      'Refresh tokens',
      'Logout',
      'Identity pool',
      'Cognito Identity',
    ]) {
      expect(stdout).toMatch(new RegExp(`^✓ ${title}: `, 'm'));
    }
    expect(stdout).toContain(`Cognito’s Logins key for it is ${stack.url.replace('http://', '')}`);
    expect(stdout).toContain('No check failed.');
    expect(code).toBe(0);
  });

  it('takes the settings as flags too', async () => {
    const { code, stdout } = await cli([
      '--domain',
      stack.url,
      '--client-id',
      stack.config.clientId,
      '--pool-id',
      stack.config.identityPoolId,
      '--cognito-identity-endpoint',
      stack.config.endpoints.cognitoIdentity,
      '--custom-endpoints',
    ]);
    expect(stdout).toMatch(/^✓ Settings: valid \(from flags\)\.$/m);
    expect(code).toBe(0);
  });

  it('lists both development redirect URLs and says a store build differs', async () => {
    const redirect = check(await doctor(stackSettings(stack)), 'redirect');
    expect(redirect.status).toBe('info');
    expect(redirect.lines?.join('\n')).toMatch(/chromiumapp\.org\/[\s\S]*extensions\.allizom\.org\/[\s\S]*Chrome Web Store build/);
  });

  it('passes an ID token the stack issued: RS256, signed by its key, for its client', async () => {
    const path = join(dir, 'rs256.jwt');
    await writeFile(path, await idTokenAtStack(stack, 'alice'));
    const results = await doctor(stackSettings(stack), { idTokenFile: path });
    expect(check(results, 'idToken')).toMatchObject({ status: 'pass' });
    expect(exitCode(results)).toBe(0);
  });

  it('checks with a sign-in token that the role may call Cognito Sync, when that is the chosen backend', async () => {
    const path = join(dir, 'cognito-sync.jwt');
    await writeFile(path, await idTokenAtStack(stack, 'alice'));
    const settings = stackSettings(stack, { syncBackend: 'cognitoSync', cognitoSyncEndpoint: stack.config.endpoints.cognitoSync });
    expect(check(await doctor(settings, { idTokenFile: path }), 'datasetService')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('Cognito Sync'),
    });
    expect(check(await doctor(settings), 'datasetService')).toMatchObject({ status: 'skip', detail: expect.stringContaining('--id-token') });
    const refused = check(await doctor({ ...settings, cognitoSyncEndpoint: `${stack.url}/dynamodb` }, { idTokenFile: path }), 'datasetService');
    expect(refused.status).toBe('fail');
  });

  it('refuses an ID token issued for another client', async () => {
    const path = join(dir, 'rs256.jwt');
    await writeFile(path, await idTokenAtStack(stack, 'alice'));
    const results = await doctor(stackSettings(stack, { clientId: 'someone-else' }), { idTokenFile: path });
    expect(check(results, 'idToken')).toMatchObject({ status: 'fail', detail: expect.stringContaining('not for the client ID someone-else') });
  });
});

describe('npm run doctor names each misconfiguration with its fix', () => {
  let fake: FakeProvider;
  let trusting: Stack;

  beforeAll(async () => {
    fake = await startFakeProvider();
    // A pool that trusts the fake provider, so each test below breaks one thing only.
    trusting = await startStack({ port: 0, trust: [{ issuer: `${fake.url}/`, clientIds: [FAKE_CLIENT] }] });
  });
  afterAll(async () => {
    await trusting?.close();
    await fake?.close();
  });

  const fakeSettings = (changes: Partial<Settings> = {}): Settings =>
    stackSettings(trusting, { domain: fake.url, clientId: FAKE_CLIENT, ...changes });
  const original = (): Record<string, unknown> => {
    const discovery = fake.discovery;
    if (typeof discovery === 'number') throw new Error('discovery replaced');
    return discovery;
  };
  async function withDiscovery<T>(changes: Record<string, unknown> | number, run: () => Promise<T>): Promise<T> {
    const saved = fake.discovery;
    fake.discovery = typeof changes === 'number' ? changes : { ...original(), ...changes };
    try {
      return await run();
    } finally {
      fake.discovery = saved;
    }
  }

  it('passes an Auth0-shaped provider, warning that only a token shows whether the application uses HS256', async () => {
    const results = await doctor(fakeSettings());
    expect(results.filter((result) => result.status === 'fail')).toEqual([]);
    expect(check(results, 'idToken')).toMatchObject({ status: 'warn', fix: expect.stringContaining('--id-token FILE') });
    expect(exitCode(results)).toBe(0);
  });

  it('names HS256 when discovery offers nothing else: the stack in its HS256 mode', async () => {
    const hs256 = await startStack({ port: 0, idTokenAlg: 'HS256' });
    try {
      const path = await settingsFile(stackSettings(hs256), 'hs256.json');
      const { code, stdout } = await cli(['--settings', path]);
      expect(stdout).toMatch(new RegExp(`^✗ ID token signing: ${HS256_FAULT}: the provider offers HS256 only`, 'm'));
      expect(stdout).toContain(`Fix: Set it to RS256; in Auth0: ${HS256_FIX_PATH}.`);
      expect(code).toBe(1);
    } finally {
      await hs256.close();
    }
  });

  it('names HS256 from the header of an ID token when discovery offers both', async () => {
    const token = await new SignJWT({ sub: 'auth0|alice' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(`${fake.url}/`)
      .setAudience(FAKE_CLIENT)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('the-client-secret-of-an-hs256-application'));
    const path = join(dir, 'hs256.jwt');
    await writeFile(path, `${token}\n`);
    const results = await doctor(fakeSettings(), { idTokenFile: path });
    expect(check(results, 'idToken')).toMatchObject({
      status: 'fail',
      detail: `${HS256_FAULT}: this token’s header says alg HS256.`,
      fix: expect.stringContaining(HS256_FIX_PATH),
    });
    expect(exitCode(results)).toBe(1);
  });

  it('fails when the provider’s keys hold no RSA key', async () => {
    const saved = fake.jwks;
    fake.jwks = {
      keys: [
        { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', use: 'sig' },
      ],
    };
    try {
      const jwks = check(await doctor(fakeSettings()), 'jwks');
      expect(jwks).toMatchObject({ status: 'fail', detail: expect.stringContaining('holds no RSA signing key (EC)') });
      expect(jwks.fix).toContain('RS256');
    } finally {
      fake.jwks = saved;
    }
  });

  it('accepts a root issuer announced without the trailing slash, as Google and Okta announce theirs', async () => {
    const results = await withDiscovery({ issuer: fake.url }, () => doctor(fakeSettings()));
    expect(check(results, 'issuer')).toMatchObject({ status: 'pass', detail: expect.stringContaining('the same URL as expected') });
  });

  it('names an issuer with a path typed without its trailing slash, and says what to type', async () => {
    const results = await withDiscovery({ issuer: `${fake.url}/tenant/` }, () => doctor(fakeSettings({ domain: `${fake.url}/tenant` })));
    expect(check(results, 'discovery')).toMatchObject({ status: 'pass', detail: `${fake.url}/tenant/.well-known/openid-configuration answered.` });
    expect(check(results, 'issuer')).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(new RegExp(`^Enter ${fake.url}/tenant/ as Provider domain, with the trailing slash\\.`)),
    });
  });

  it('explains a discovery 404 and skips what needs the document', async () => {
    const results = await withDiscovery(404, () => doctor(fakeSettings()));
    expect(check(results, 'discovery')).toMatchObject({
      status: 'fail',
      detail: `${fake.url}/.well-known/openid-configuration answered 404 Not Found: no OpenID Connect provider is announced there.`,
      fix: expect.stringContaining('Check Provider domain'),
    });
    for (const id of ['issuer', 'signing', 'jwks', 'pkce'] as const) expect(check(results, id).status).toBe('skip');
    // The pool is checked all the same.
    expect(check(results, 'cognito').status).toBe('pass');
  });

  it('says the provider cannot be reached', async () => {
    const port = await closedPort();
    const results = await doctor(fakeSettings({ domain: `http://127.0.0.1:${port}` }));
    expect(check(results, 'discovery')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('the connection was refused (ECONNREFUSED)'),
    });
  });

  it('fails a provider that does not offer PKCE with S256', async () => {
    const results = await withDiscovery({ code_challenge_methods_supported: ['plain'] }, () => doctor(fakeSettings()));
    expect(check(results, 'pkce')).toMatchObject({
      status: 'fail',
      detail: 'the provider does not offer PKCE with S256 (code_challenge_methods_supported: plain).',
      fix: expect.stringContaining('enable PKCE with S256'),
    });
  });

  it('only warns when refresh tokens and logout are not advertised', async () => {
    const results = await withDiscovery(
      { grant_types_supported: ['authorization_code'], scopes_supported: ['openid'], end_session_endpoint: undefined },
      () => doctor(fakeSettings()),
    );
    expect(check(results, 'refresh')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('the refresh_token grant and the offline_access scope are not advertised'),
    });
    expect(check(results, 'logout')).toMatchObject({ status: 'warn', detail: expect.stringContaining('no end_session_endpoint') });
    expect(exitCode(results)).toBe(0);
  });

  it('says the pool does not exist when its id names another region', async () => {
    const poolId = trusting.config.identityPoolId.replace(/^us-east-1:/, 'eu-west-1:');
    const results = await doctor(fakeSettings({ identityPoolId: poolId }));
    expect(check(results, 'pool')).toMatchObject({ status: 'pass', detail: expect.stringContaining('is in region eu-west-1') });
    expect(check(results, 'cognito')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`has no identity pool ${poolId} in region eu-west-1 (ResourceNotFoundException:`),
      fix: expect.stringContaining('Copy the pool ID from the Cognito console'),
    });
  });

  it('says an unknown pool does not exist', async () => {
    const poolId = 'us-east-1:00000000-0000-4000-8000-000000000000';
    const cognito = check(await doctor(fakeSettings({ identityPoolId: poolId })), 'cognito');
    expect(cognito).toMatchObject({ status: 'fail', detail: expect.stringContaining('ResourceNotFoundException') });
  });

  it('says the pool does not trust the provider', async () => {
    // The first stack trusts its own provider only.
    const cognito = check(await doctor(stackSettings(stack, { domain: fake.url, clientId: FAKE_CLIENT })), 'cognito');
    expect(cognito).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`does not trust the provider ${fake.url.replace('http://', '')}`),
      fix: expect.stringContaining('OpenID Connect identity provider'),
    });
  });

  it('says the Cognito Identity endpoint cannot be reached', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}/`;
    const cognito = check(await doctor(fakeSettings({ cognitoIdentityEndpoint: endpoint })), 'cognito');
    expect(cognito).toMatchObject({
      status: 'fail',
      detail: `${endpoint} could not be reached: the connection was refused (ECONNREFUSED).`,
      fix: expect.stringContaining('Check the Cognito Identity endpoint'),
    });
  });

  it('says an endpoint that answers, but not as Cognito Identity, is the wrong one', async () => {
    const endpoint = `${trusting.url}/not-cognito`;
    const cognito = check(await doctor(fakeSettings({ cognitoIdentityEndpoint: endpoint })), 'cognito');
    expect(cognito).toMatchObject({ status: 'fail', detail: `${endpoint} answered HTTP 404, not as Cognito Identity.` });
  });
});

describe('npm run doctor refuses bad input', () => {
  it('names a settings file that is not JSON, and exits 1', async () => {
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'domain = tenant.auth0.com\n');
    const { code, stdout } = await cli(['--settings', path]);
    expect(stdout).toMatch(new RegExp(`^✗ Settings: ${path}: it is not JSON\\.$`, 'm'));
    expect(stdout).toContain('Fix: Export the settings from the extension’s options page');
    expect(code).toBe(1);
  });

  it('names a file of another format or version', async () => {
    const wrong = join(dir, 'wrong.json');
    await writeFile(wrong, JSON.stringify({ domain: 'tenant.auth0.com' }));
    expect(check(await runDoctor({ settingsFile: wrong, flags: {} }, { fetch, timeoutMs: 1_000, getId: sdkGetId }), 'settings').detail).toContain(
      'it is not a Cognito Sync settings file',
    );
    await writeFile(wrong, JSON.stringify({ format: 'cognito-sync-settings', version: 2, settings: {} }));
    expect(check(await runDoctor({ settingsFile: wrong, flags: {} }, { fetch, timeoutMs: 1_000, getId: sdkGetId }), 'settings').detail).toContain(
      'it is in version 2 of the settings file format',
    );
  });

  it('lists each invalid field as the options page words it, and still checks the valid ones', async () => {
    const path = join(dir, 'invalid.json');
    await writeFile(
      path,
      JSON.stringify({ format: 'cognito-sync-settings', version: 1, settings: { ...stackSettings(stack), identityPoolId: 'us-east-1:nope' } }),
    );
    const results = await runDoctor({ settingsFile: path, flags: {} }, { fetch, timeoutMs: 5_000, getId: sdkGetId });
    expect(check(results, 'settings')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('Identity pool ID: An identity pool ID looks like us-east-1:'),
    });
    expect(check(results, 'discovery').status).toBe('pass');
    expect(check(results, 'cognito')).toMatchObject({ status: 'skip', detail: 'not checked: Identity pool ID is missing or not valid.' });
    expect(exitCode(results)).toBe(1);
  });

  it('names a settings file that does not exist', async () => {
    const { code, stdout } = await cli(['--settings', join(dir, 'missing.json')]);
    expect(stdout).toContain('cannot be read (ENOENT)');
    expect(code).toBe(1);
  });

  it('answers a usage error with exit code 2', async () => {
    expect(await cli([])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Give --settings FILE, or --domain, --client-id and --pool-id.'),
    });
    expect(await cli(['--settings'])).toMatchObject({ code: 2 });
    expect(await cli(['--settings', 'x.json', '--frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--frobnicate') });
  });
});

describe('npm run doctor with a Role ARN: the basic (classic) flow', () => {
  let classic: Stack;
  beforeAll(async () => {
    classic = await startStack({ port: 0, allowClassicFlow: true });
  });
  afterAll(async () => {
    await classic?.close();
  });

  const basic = (target: Stack, roleArn = target.config.roleArn): Settings =>
    stackSettings(target, { roleArn, accountId: '000000000000', stsEndpoint: target.config.endpoints.sts });

  it('checks nothing of the sort without a Role ARN', async () => {
    expect((await doctor(stackSettings(stack))).some((result) => result.id === 'classicFlow')).toBe(false);
  });

  it('fails a pool that does not allow the basic flow, even without a sign-in, and says what to change', async () => {
    const results = await doctor(basic(stack));
    expect(check(results, 'classicFlow')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('InvalidParameterException: Basic (classic) flow is not enabled'),
      fix: expect.stringContaining('AllowClassicFlow=true'),
    });
    expect(exitCode(results)).toBe(1);
  });

  it('warns that a pool allowing it cannot be fully checked without an ID token', async () => {
    expect(check(await doctor(basic(classic)), 'classicFlow')).toMatchObject({ status: 'warn', fix: expect.stringContaining('--id-token FILE') });
  });

  it('passes with an ID token: GetId, GetOpenIdToken and AssumeRoleWithWebIdentity all answer', async () => {
    const path = join(dir, 'classic.jwt');
    await writeFile(path, await idTokenAtStack(classic, 'alice'));
    classic.resetCounters();
    const results = await doctor(basic(classic), { idTokenFile: path });
    expect(check(results, 'classicFlow')).toMatchObject({ status: 'pass' });
    expect(classic.counters()['sts.AssumeRoleWithWebIdentity']?.requests).toBe(1);
    expect(exitCode(results)).toBe(0);
  });

  it('fails a role that does not let the pool in, naming the trust policy to fix', async () => {
    const path = join(dir, 'classic.jwt');
    await writeFile(path, await idTokenAtStack(classic, 'alice'));
    const results = await doctor(basic(classic, 'arn:aws:iam::000000000000:role/SomeOtherRole'), { idTokenFile: path });
    expect(check(results, 'classicFlow')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('AccessDenied'),
      fix: expect.stringContaining('cognito-identity.amazonaws.com:aud = us-east-1:'),
    });
  });

  it('takes the Role ARN as a flag', async () => {
    const { stdout } = await cli([
      '--settings',
      await settingsFile(stackSettings(stack)),
      '--role-arn',
      stack.config.roleArn,
      '--sts-endpoint',
      stack.config.endpoints.sts,
    ]);
    expect(stdout).toMatch(/^✗ Basic \(classic\) flow: /m);
  });
});
