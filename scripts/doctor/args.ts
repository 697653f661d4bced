// The command line of `npm run doctor`.
import { parseArgs } from 'node:util';
import type { DoctorOptions } from './run';
import type { SettingsFlags } from './settings-input';

export const USAGE = `Usage: npm run doctor -- --settings FILE [options]
       npm run doctor -- --domain DOMAIN --client-id ID --pool-id POOL [options]

Checks what can be checked from outside of an Auth0 (or other OpenID Connect) provider and a Cognito
identity pool, and says how to fix what fails. Nothing is changed anywhere; the AWS calls are unsigned:
a Cognito Identity GetId with a token that cannot pass, and with a Role ARN the basic flow (GetOpenIdToken,
and with --id-token GetId, GetOpenIdToken and STS AssumeRoleWithWebIdentity).

  --settings FILE                   a settings file exported from the options page
  --domain DOMAIN                   Provider domain (your-tenant.us.auth0.com or an issuer URL)
  --client-id ID                    Client ID
  --pool-id POOL                    Identity pool ID (region:uuid)
  --cognito-identity-endpoint URL   instead of AWS’s public endpoint (e.g. the local stack)
  --dynamodb-endpoint URL           instead of AWS’s public endpoint
  --role-arn ARN                    Role ARN: check the basic (classic) flow with this role
  --account-id ID                   AWS account ID, sent with GetId in the basic flow check
  --sts-endpoint URL                instead of AWS’s public STS endpoint
  --custom-endpoints                endpoints other than AWS’s own (a local stack, a proxy), as the options
                                    page's "Custom endpoints" allows them
  --id-token FILE                   an ID token from a sign-in, to check how it is signed (never printed)
  --timeout MS                      per request, default 10000
  --json                            the results as JSON
  -h, --help

Each line starts with ✓ passed, ✗ failed, ! warning, - skipped or • to do.
Exit code: 0 when no check failed, 1 when one did, 2 for a usage error.`;

export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'run'; options: DoctorOptions; timeoutMs: number; json: boolean };

const FLAG_FIELDS: Array<[string, keyof SettingsFlags]> = [
  ['domain', 'domain'],
  ['client-id', 'clientId'],
  ['pool-id', 'identityPoolId'],
  ['cognito-identity-endpoint', 'cognitoIdentityEndpoint'],
  ['dynamodb-endpoint', 'dynamodbEndpoint'],
  ['role-arn', 'roleArn'],
  ['account-id', 'accountId'],
  ['sts-endpoint', 'stsEndpoint'],
];

const OPTIONS = {
  settings: { type: 'string' },
  domain: { type: 'string' },
  'client-id': { type: 'string' },
  'pool-id': { type: 'string' },
  'cognito-identity-endpoint': { type: 'string' },
  'dynamodb-endpoint': { type: 'string' },
  'role-arn': { type: 'string' },
  'account-id': { type: 'string' },
  'sts-endpoint': { type: 'string' },
  'custom-endpoints': { type: 'boolean' },
  'id-token': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const parseFlags = (argv: string[]) => parseArgs({ args: argv, strict: true, allowPositionals: false, options: OPTIONS }).values;

export function parseDoctorArgs(argv: string[]): ParsedArgs {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv);
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };

  const flags: SettingsFlags = {};
  for (const [flag, field] of FLAG_FIELDS) {
    const value = values[flag as keyof typeof values];
    if (typeof value === 'string') flags[field] = value;
  }
  if (values['custom-endpoints']) flags.customEndpoints = 'true';
  if (values.settings === undefined && (flags.domain === undefined || flags.clientId === undefined || flags.identityPoolId === undefined)) {
    return { kind: 'error', message: 'Give --settings FILE, or --domain, --client-id and --pool-id.' };
  }
  const timeoutMs = values.timeout === undefined ? 10_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 120_000) {
    return { kind: 'error', message: '--timeout takes milliseconds, from 1 to 120000.' };
  }
  const options: DoctorOptions = { flags };
  if (values.settings !== undefined) options.settingsFile = values.settings;
  if (values['id-token'] !== undefined) options.idTokenFile = values['id-token'];
  return { kind: 'run', options, timeoutMs, json: values.json === true };
}
