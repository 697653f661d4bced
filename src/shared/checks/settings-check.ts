// The options page's Check: the doctor's checks that need neither a sign-in nor the AWS SDK, run on the
// settings a person is about to save. Loaded with import() on the click, so the page's first paint does
// not carry it.
import { endpointsOf, loginsKey, type Settings, type SettingsField } from '../settings';
import { checkPool, probeCognito } from './cognito';
import { checkDiscovery, checkIssuer, checkJwks, checkPkce, checkRedirectRegistered, checkSigningAlgorithms } from './provider';
import type { CheckFault, CheckNote, CheckResult, DoctorContext } from './types';

async function providerChecks(ctx: DoctorContext, settings: Settings, redirectUrl: string): Promise<CheckResult[]> {
  const { issuer } = endpointsOf(settings);
  const { check: discovery, metadata } = await checkDiscovery(ctx, issuer);
  if (!metadata) return [discovery];
  const [jwks, redirect] = await Promise.all([checkJwks(ctx, metadata), checkRedirectRegistered(ctx, metadata, settings.clientId, redirectUrl)]);
  return [discovery, checkIssuer(issuer, metadata), checkSigningAlgorithms(metadata).check, jwks.check, checkPkce(metadata), redirect];
}

async function poolChecks(ctx: DoctorContext, settings: Settings): Promise<CheckResult[]> {
  const { issuer, cognitoIdentity } = endpointsOf(settings);
  const pool = checkPool(settings.identityPoolId, settings.cognitoIdentityEndpoint);
  if (pool.status === 'fail') return [pool];
  const providerKey = loginsKey(issuer.href);
  return [
    pool,
    await probeCognito(ctx, { identityPoolId: settings.identityPoolId, endpoint: cognitoIdentity, providerKey, clientId: settings.clientId }),
  ];
}

/** Valid settings (validateSettings passed), checked against the provider and the identity pool at once. */
export async function checkSettings(ctx: DoctorContext, settings: Settings, redirectUrl: string): Promise<CheckResult[]> {
  const [provider, pool] = await Promise.all([providerChecks(ctx, settings, redirectUrl), poolChecks(ctx, settings)]);
  return [...provider, ...pool];
}

/** The first failure named against each field, in the order the checks ran. */
export function faultsByField(results: CheckResult[]): Partial<Record<SettingsField, CheckFault>> {
  const faults: Partial<Record<SettingsField, CheckFault>> = {};
  for (const { status, fault } of results) if (status === 'fail' && fault && !faults[fault.field]) faults[fault.field] = fault;
  return faults;
}

/** The checks a server error or throttling left undecided, in the order they ran. */
export function undecidedChecks(results: CheckResult[]): CheckNote[] {
  return results.flatMap(({ status, unsettled }) => (status === 'warn' && unsettled ? [unsettled] : []));
}

export { fetchGetId } from './cognito';
