// Runs every check in order, skipping those whose inputs failed, and answers the report's lines.
import { readFile } from 'node:fs/promises';
import { endpointsOf, issuerFromDomain, loginsKey, regionOf } from '../../src/shared/settings';
import { checkClassicFlow } from './classic-flow';
import { checkPool, probeCognito, publicEndpoint } from '../../src/shared/checks/cognito';
import {
  checkDiscovery,
  checkIdToken,
  checkIssuer,
  checkJwks,
  checkLogout,
  checkPkce,
  checkRefresh,
  checkSigningAlgorithms,
  idTokenFrom,
  type IdTokenExpectations,
  type Metadata,
} from '../../src/shared/checks/provider';
import { checkDatasetService } from './dataset-service';
import { probeRedirectUrls, redirectUrls } from './redirect';
import { loadSettings, type SettingsFlags } from './settings-input';
import { result, type CheckId, type CheckResult, type DoctorContext } from '../../src/shared/checks/types';

export interface DoctorOptions {
  /** An exported settings file (`cognito-sync-settings.json`). */
  settingsFile?: string;
  /** Settings given as flags; on top of the file's when both are given. */
  flags: SettingsFlags;
  /** A file holding an ID token the provider issued (or a token response with `id_token`). */
  idTokenFile?: string;
}

const PROVIDER_CHECKS: Array<[CheckId, string]> = [
  ['discovery', 'Discovery'],
  ['issuer', 'Issuer'],
  ['signing', 'ID token signing'],
  ['jwks', 'Signing keys'],
  ['idToken', 'ID token'],
  ['pkce', 'Code flow with PKCE'],
  ['refresh', 'Refresh tokens'],
  ['logout', 'Logout'],
];

function skipped(id: CheckId, title: string, why: string): CheckResult {
  return result(id, 'skip', title, `not checked: ${why}.`);
}

async function providerChecks(
  ctx: DoctorContext,
  issuer: URL,
  clientId: string | undefined,
  idTokenFile: string | undefined,
): Promise<{ checks: CheckResult[]; metadata?: Metadata }> {
  const { check: discovery, metadata } = await checkDiscovery(ctx, issuer);
  if (!metadata) {
    return { checks: [discovery, ...PROVIDER_CHECKS.slice(1).map(([id, title]) => skipped(id, title, 'no discovery document'))] };
  }
  const { check: signing, offersHs256 } = checkSigningAlgorithms(metadata);
  const { check: jwks, jwks: keySet } = await checkJwks(ctx, metadata);
  let idToken: CheckResult;
  if (idTokenFile !== undefined) {
    idToken = await idTokenFileCheck(idTokenFile, { issuer, clientId, jwks: keySet, now: Date.now() });
  } else if (offersHs256 && signing.status === 'pass') {
    idToken = result(
      'idToken',
      'warn',
      'ID token',
      'not checked: the provider offers HS256 as well as RS256, and discovery cannot show which one your application uses (Auth0 lists both for every tenant).',
      'Give --id-token FILE with an ID token from a sign-in to check it, or look in Auth0: Applications → your app → Advanced Settings → OAuth → JSON Web Token Signature Algorithm must be RS256.',
    );
  } else {
    idToken = skipped('idToken', 'ID token', 'optional; --id-token FILE checks a token from a real sign-in');
  }
  return {
    checks: [
      discovery,
      checkIssuer(issuer, metadata),
      signing,
      jwks,
      idToken,
      checkPkce(metadata),
      checkRefresh(metadata),
      checkLogout(metadata, issuer),
    ],
    metadata,
  };
}

async function idTokenFileCheck(path: string, expect: IdTokenExpectations): Promise<CheckResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return result(
      'idToken',
      'fail',
      'ID token',
      `${path} cannot be read (${typeof code === 'string' ? code : String(error)}).`,
      'Give a file that holds the ID token.',
    );
  }
  return checkIdToken(idTokenFrom(text), expect);
}

export async function runDoctor(options: DoctorOptions, ctx: DoctorContext): Promise<CheckResult[]> {
  const loaded = await loadSettings(options.settingsFile, options.flags);
  const results: CheckResult[] = [loaded.check];
  const { values, valid } = loaded;
  const domain = values.domain ?? '';
  const issuer = valid.has('domain') ? issuerFromDomain(domain) : undefined;
  const clientId = valid.has('clientId') ? values.clientId : undefined;

  let metadata: Metadata | undefined;
  if (issuer) {
    const provider = await providerChecks(ctx, issuer, clientId, options.idTokenFile);
    results.push(...provider.checks);
    metadata = provider.metadata;
  } else {
    results.push(...PROVIDER_CHECKS.map(([id, title]) => skipped(id, title, 'Provider domain is missing or not valid')));
  }
  results.push(redirectUrls());
  if (metadata && clientId !== undefined) results.push(...(await probeRedirectUrls(ctx, metadata, clientId)));

  const poolId = valid.has('identityPoolId') ? values.identityPoolId : undefined;
  if (poolId === undefined) {
    results.push(skipped('pool', 'Identity pool', 'Identity pool ID is missing or not valid'));
    results.push(skipped('cognito', 'Cognito Identity', 'Identity pool ID is missing or not valid'));
    return results;
  }
  const override = valid.has('cognitoIdentityEndpoint') ? (values.cognitoIdentityEndpoint ?? '') : undefined;
  if (override === undefined) {
    results.push(skipped('pool', 'Identity pool', 'the Cognito Identity endpoint is not valid'));
    results.push(skipped('cognito', 'Cognito Identity', 'the Cognito Identity endpoint is not valid'));
    return results;
  }
  const pool = checkPool(poolId, override);
  results.push(pool);
  if (pool.status === 'fail') {
    results.push(skipped('cognito', 'Cognito Identity', 'the endpoint does not serve the pool’s region'));
  } else if (!issuer) {
    results.push(skipped('cognito', 'Cognito Identity', 'Provider domain is missing or not valid, and GetId needs the provider’s name'));
  } else {
    // As endpointsOf() does for valid settings: the override, or AWS's public endpoint of the pool's region.
    const endpoint = override || publicEndpoint(regionOf(poolId));
    results.push(await probeCognito(ctx, { identityPoolId: poolId, endpoint, providerKey: loginsKey(issuer.href), clientId }));
  }
  const idToken = options.idTokenFile === undefined ? undefined : await readIdToken(options.idTokenFile);
  // The basic flow only when the settings choose it; it needs every setting valid (endpoints included).
  if (values.roleArn) {
    if (!loaded.settings || !issuer) {
      results.push(skipped('classicFlow', 'Basic (classic) flow', 'some settings are not valid'));
    } else {
      const { cognitoIdentity, sts } = endpointsOf(loaded.settings);
      results.push(
        await checkClassicFlow({
          identityPoolId: loaded.settings.identityPoolId,
          cognitoEndpoint: cognitoIdentity,
          stsEndpoint: sts,
          roleArn: loaded.settings.roleArn,
          providerKey: loginsKey(issuer.href),
          accountId: loaded.settings.accountId,
          idToken,
          timeoutMs: ctx.timeoutMs,
        }),
      );
    }
  }
  results.push(await checkDatasetService(loaded.settings, idToken || undefined));
  return results;
}

/** The ID token of an --id-token file, or undefined when it cannot be read (the ID token check says why). */
async function readIdToken(path: string): Promise<string | undefined> {
  try {
    return idTokenFrom(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}
