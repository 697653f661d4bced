// The settings a person enters on the options page, their validation, and what follows from them.

import { CONFLICT_STRATEGIES, DATASET_NAME, type ConflictStrategy } from './settings-values';

// What the pages read without the validator lives in settings-values.ts: a page that imports only that
// does not carry the validator in its first load.
export {
  CONFLICT_STRATEGIES,
  DATASET_NAME,
  normalizeEndpoint,
  parseDefaultDataset,
  type ConflictStrategy,
  type DefaultDataset,
} from './settings-values';

/** Where datasets live: the extension's own DynamoDB table, or Amazon Cognito Sync (for those who already use it). */
export const SYNC_BACKENDS = ['dynamodb', 'cognitoSync'] as const;
export type SyncBackend = (typeof SYNC_BACKENDS)[number];

export interface Settings {
  /** Auth0 domain (`tenant.auth0.com`) or an issuer URL; `http://` only for a loopback address. */
  domain: string;
  clientId: string;
  /** Optional API audience for the access token; '' when unused. */
  audience: string;
  /** `<region>:<uuid>`; the region of every AWS call follows from it. */
  identityPoolId: string;
  tableName: string;
  datasetName: string;
  syncIntervalMinutes: number;
  conflictStrategy: ConflictStrategy;
  /** Endpoint overrides for the local stack or private endpoints; '' means AWS's public endpoint. */
  cognitoIdentityEndpoint: string;
  dynamodbEndpoint: string;
  /** The basic (classic) flow's role, `arn:<partition>:iam::<account>:role/<name>`; '' for the enhanced flow. */
  roleArn: string;
  /** 12 digits, sent as GetId's AccountId (as mobile SDKs configured with an account id do); '' when unused. */
  accountId: string;
  /** Like the other endpoints: STS, used by the basic flow only. */
  stsEndpoint: string;
  /**
   * "Custom endpoints": a release build accepts an endpoint other than AWS's own for the pool's region
   * (loopback included) only when this is on (awsEndpointProblem).
   */
  customEndpoints: boolean;
  /** The dataset service; `tableName` and `dynamodbEndpoint` matter only for 'dynamodb'. */
  syncBackend: SyncBackend;
  /** Cognito Sync endpoint override; '' means AWS's public endpoint of the region. */
  cognitoSyncEndpoint: string;
}

export type SettingsField = keyof Settings;

/** What the form holds: every field as text, the way the person typed it. */
export type SettingsForm = { [K in SettingsField]: string };

/** Why a field was refused, as the message key the options page shows next to it. */
export type FieldProblem =
  | 'errorRequired'
  | 'errorDomain'
  | 'errorInsecureDomain'
  | 'errorClientId'
  | 'errorPoolId'
  | 'errorTableName'
  | 'errorDatasetName'
  | 'errorSyncInterval'
  | 'errorStrategy'
  | 'errorEndpoint'
  | 'errorRoleArn'
  | 'errorRoleArnPartition'
  | 'errorAccountId'
  | 'errorEndpointNotAws'
  | 'errorEndpointRegion'
  | 'errorSyncBackend'
  | 'errorCognitoSyncRegion';

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; problems: Partial<Record<SettingsField, FieldProblem>> };

export const DEFAULT_SETTINGS: Settings = {
  domain: '',
  clientId: '',
  audience: '',
  identityPoolId: '',
  tableName: 'ExtensionDatasets',
  datasetName: 'MainDataset',
  syncIntervalMinutes: 15,
  conflictStrategy: 'lastWriterWins',
  cognitoIdentityEndpoint: '',
  dynamodbEndpoint: '',
  roleArn: '',
  accountId: '',
  stsEndpoint: '',
  customEndpoints: false,
  syncBackend: 'dynamodb',
  cognitoSyncEndpoint: '',
};

/**
 * The AWS service behind each endpoint field. A field added for another AWS service goes here, and is
 * then checked (awsEndpointProblem) and signs out when changed (changesIdentity) like the others.
 */
export const AWS_ENDPOINT_FIELDS = {
  cognitoIdentityEndpoint: 'cognito-identity',
  dynamodbEndpoint: 'dynamodb',
  cognitoSyncEndpoint: 'cognito-sync',
  stsEndpoint: 'sts',
} as const satisfies Partial<Record<SettingsField, string>>;

export type AwsEndpointField = keyof typeof AWS_ENDPOINT_FIELDS;

/** Which build validates: a release build holds endpoints to AWS's own unless "Custom endpoints" is on. */
export interface ValidationContext {
  release: boolean;
  /**
   * Settings read back from storage: a pool/endpoint region mismatch saved by an older version is not held
   * against them, so the options page still shows them (and names the field at the next Save).
   */
  stored?: boolean;
}

export const SETTINGS_FIELDS = Object.keys(DEFAULT_SETTINGS) as SettingsField[];

/**
 * The domain of AWS's endpoints in each partition (the DNS suffixes of the AWS SDK's partitions, in
 * @aws-sdk/core's util-endpoints): amazonaws.com, amazonaws.com.cn in the China regions
 * (https://docs.amazonaws.cn/en_us/aws/latest/userguide/endpoints-Beijing.html), amazonaws.eu in the AWS
 * European Sovereign Cloud, and the isolated partitions' own.
 */
const PARTITION_DOMAINS: Record<string, string> = {
  aws: 'amazonaws.com',
  'aws-us-gov': 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-eusc': 'amazonaws.eu',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
  'aws-iso-e': 'cloud.adc-e.uk',
  'aws-iso-f': 'csp.hci.ic.gov',
};

/** A region's name: us-east-1, cn-north-1, us-gov-west-1, eusc-de-east-1 (the AWS European Sovereign Cloud). */
const REGION = '[a-z]{2,4}(?:-[a-z]+)+-\\d+';
/** The end of an AWS host, in every partition (PARTITION_DOMAINS): a pattern of one group that captures nothing. */
export const AWS_DOMAIN = `(?:${[...new Set(Object.values(PARTITION_DOMAINS))].map((domain) => domain.replaceAll('.', '\\.')).join('|')})`;

const POOL_ID = new RegExp(`^(${REGION}):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`);
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const CLIENT_ID = /^[\x21-\x7e]{1,256}$/;
// DynamoDB table names (dataset names: settings-values.ts).
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

// IAM role ARNs: partition, empty region, a 12-digit account, role/ with an optional path.
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const ACCOUNT_ID = /^\d{12}$/;

// The hosts the manifest may be granted over http (optional_host_permissions), as the field messages say.
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * The issuer the provider is expected to announce. A bare host becomes `https://host/`, the form Auth0
 * uses (its issuer keeps the trailing slash); a URL is kept as typed, so issuers with a path still match.
 */
export function issuerFromDomain(domain: string): URL | undefined {
  const text = domain.trim();
  if (text === '') return undefined;
  if (!text.includes('://')) {
    const host = text.replace(/\/+$/, '');
    return HOST_NAME.test(host) ? new URL(`https://${host}/`) : undefined;
  }
  try {
    const url = new URL(text);
    if (url.search || url.hash || url.username || url.password) return undefined;
    if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url))) return url;
  } catch {
    // not a URL: refused below
  }
  return undefined;
}

function validEndpoint(text: string): boolean {
  if (text === '') return true;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
  } catch {
    return false;
  }
}

/**
 * The AWS partition a region belongs to: a role of another partition can never be assumed from it.
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
 */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

function roleArnProblem(roleArn: string, identityPoolId: string): FieldProblem | undefined {
  if (roleArn === '') return undefined;
  const match = ROLE_ARN.exec(roleArn);
  if (!match) return 'errorRoleArn';
  const region = POOL_ID.exec(identityPoolId)?.[1];
  return region !== undefined && match[1] !== partitionOf(region) ? 'errorRoleArnPartition' : undefined;
}

function domainProblem(text: string): FieldProblem | undefined {
  if (text.trim() === '') return 'errorRequired';
  if (issuerFromDomain(text)) return undefined;
  return text.trim().startsWith('http://') ? 'errorInsecureDomain' : 'errorDomain';
}

/** AWS's own endpoint host of a service in a region: SERVICE.REGION.amazonaws.com, or its partition's domain (https://docs.aws.amazon.com/general/latest/gr/rande.html). */
export function awsEndpointHost(service: string, region: string): string {
  return `${service}.${region}.${PARTITION_DOMAINS[partitionOf(region)] ?? 'amazonaws.com'}`;
}

/**
 * In a release build without "Custom endpoints", an endpoint override must be AWS's own endpoint of the
 * field's service in the pool's region: a shared settings file must not be able to send the ID token (which
 * the real Cognito would accept for its lifetime) and the dataset to a look-alike host, nor to whatever listens
 * on a port of this computer (every user of it may). A local server is a custom endpoint too.
 * While the pool ID gives no region (it is malformed, and said so at its field), AWS's endpoint of the service
 * in the region its host names passes here: it is AWS's own, and the regions are compared once the pool ID is right.
 */
function awsEndpointProblem(text: string, service: string, region: string | undefined): FieldProblem | undefined {
  if (text === '') return undefined;
  const url = new URL(text);
  const served = region ?? endpointRegion(text);
  const own = served !== undefined && url.protocol === 'https:' && url.host === awsEndpointHost(service, served);
  return own && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password ? undefined : 'errorEndpointNotAws';
}

// The region label of an AWS host: SERVICE[-fips].REGION.amazonaws.com, or the domain of the region's partition
// (amazonaws.com.cn, amazonaws.eu...), the VPC endpoints' vpce-ID.SERVICE.REGION.vpce.amazonaws.com, and the
// dual-stack SERVICE.REGION.api.aws (https://docs.aws.amazon.com/general/latest/gr/rande.html). Global hosts
// (sts.amazonaws.com) have none.
const AWS_REGIONAL_HOST = new RegExp(`\\.(${REGION})\\.(?:vpce\\.)?(?:${AWS_DOMAIN}|api\\.aws)$`);

/** The AWS region an endpoint serves, when its host says so; undefined for loopback, global and non-AWS hosts. */
export function endpointRegion(endpoint: string): string | undefined {
  try {
    return AWS_REGIONAL_HOST.exec(new URL(endpoint).hostname)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * An identity pool lives in one region, and its identities' credentials and Cognito Sync datasets with it:
 * an endpoint of another region answers "no such pool" or refuses the credentials. Loopback (the local
 * stack) and hosts that name no region are not judged.
 */
function regionMismatch(text: string, region: string | undefined): FieldProblem | undefined {
  const served = text === '' ? undefined : endpointRegion(text);
  return region !== undefined && served !== undefined && served !== region ? 'errorEndpointRegion' : undefined;
}

/**
 * The regions where Amazon Cognito Sync is offered (https://docs.aws.amazon.com/general/latest/gr/cognito_sync.html):
 * fewer than Cognito Identity's. Elsewhere its host does not exist, and a sync would fail as if offline.
 */
const COGNITO_SYNC_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
]);

/**
 * The region of the AWS endpoint Cognito Sync would be called at (the pool region's by default, or one typed),
 * when AWS offers no Cognito Sync there. Another server (the local stack, a proxy) is not judged.
 */
function cognitoSyncMissingIn(endpoint: string, region: string | undefined): string | undefined {
  const served = endpoint === '' ? region : endpointRegion(endpoint);
  return served !== undefined && !COGNITO_SYNC_REGIONS.has(served) ? served : undefined;
}

/**
 * For settings that choose Cognito Sync, the region without it their requests would go to. Such settings are
 * refused at a save, but those stored before that check are still read: a sync with them fails on this,
 * before a request is sent (there is no host to send it to).
 */
export function cognitoSyncUnavailableIn(settings: Settings): string | undefined {
  if (settings.syncBackend !== 'cognitoSync') return undefined;
  return cognitoSyncMissingIn(settings.cognitoSyncEndpoint, POOL_ID.exec(settings.identityPoolId)?.[1]);
}

/** Validates what the form holds; every problem is reported at once, against its field. */
export function validateSettings(form: Partial<Record<string, unknown>>, context: ValidationContext = { release: true }): SettingsResult {
  const text = (field: SettingsField): string => {
    const value = form[field];
    if (typeof value === 'string') return value.trim();
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return String(DEFAULT_SETTINGS[field]);
  };
  const problems: Partial<Record<SettingsField, FieldProblem>> = {};
  const check = (field: SettingsField, problem: FieldProblem | undefined): void => {
    if (problem) problems[field] = problem;
  };

  const domain = text('domain');
  check('domain', domainProblem(domain));
  const clientId = text('clientId');
  check('clientId', clientId === '' ? 'errorRequired' : CLIENT_ID.test(clientId) ? undefined : 'errorClientId');
  const identityPoolId = text('identityPoolId');
  check('identityPoolId', identityPoolId === '' ? 'errorRequired' : POOL_ID.test(identityPoolId) ? undefined : 'errorPoolId');
  // The table is DynamoDB's alone: with Cognito Sync its field is hidden and unused, and a name left invalid
  // there is not the person's to fix; the default is kept in its place.
  const typedTable = text('tableName');
  const tableValid = TABLE_NAME.test(typedTable);
  const tableName = tableValid || text('syncBackend') !== 'cognitoSync' ? typedTable : DEFAULT_SETTINGS.tableName;
  check('tableName', tableValid || tableName !== typedTable ? undefined : 'errorTableName');
  const datasetName = text('datasetName');
  check('datasetName', DATASET_NAME.test(datasetName) ? undefined : 'errorDatasetName');
  const interval = Number(text('syncIntervalMinutes'));
  check('syncIntervalMinutes', Number.isInteger(interval) && interval >= 1 && interval <= 1440 ? undefined : 'errorSyncInterval');
  const strategy = text('conflictStrategy');
  const conflictStrategy = CONFLICT_STRATEGIES.find((s) => s === strategy);
  check('conflictStrategy', conflictStrategy ? undefined : 'errorStrategy');
  const customEndpoints = text('customEndpoints') === 'true';
  const region = POOL_ID.exec(identityPoolId)?.[1];
  const endpoint = (field: AwsEndpointField): string => {
    const value = text(field);
    if (!validEndpoint(value)) check(field, 'errorEndpoint');
    else if (context.release && !customEndpoints) check(field, awsEndpointProblem(value, AWS_ENDPOINT_FIELDS[field], region));
    if (!problems[field] && !context.stored) check(field, regionMismatch(value, region));
    return value;
  };
  const cognitoIdentityEndpoint = endpoint('cognitoIdentityEndpoint');
  const dynamodbEndpoint = endpoint('dynamodbEndpoint');
  const audience = text('audience');
  const roleArn = text('roleArn');
  check('roleArn', roleArnProblem(roleArn, identityPoolId));
  const accountId = text('accountId');
  check('accountId', accountId === '' || ACCOUNT_ID.test(accountId) ? undefined : 'errorAccountId');
  const stsEndpoint = endpoint('stsEndpoint');
  const backend = text('syncBackend');
  const syncBackend = SYNC_BACKENDS.find((b) => b === backend);
  const cognitoSyncEndpoint = endpoint('cognitoSyncEndpoint');
  // Settings saved before this check are still read (`stored`); only a save is refused.
  const unavailable = syncBackend === 'cognitoSync' && !context.stored && cognitoSyncMissingIn(cognitoSyncEndpoint, region) !== undefined;
  check('syncBackend', syncBackend ? (unavailable ? 'errorCognitoSyncRegion' : undefined) : 'errorSyncBackend');

  if (Object.keys(problems).length > 0 || !conflictStrategy || !syncBackend) return { ok: false, problems };
  return {
    ok: true,
    settings: {
      domain,
      clientId,
      audience,
      identityPoolId,
      tableName,
      datasetName,
      syncIntervalMinutes: interval,
      conflictStrategy,
      cognitoIdentityEndpoint,
      dynamodbEndpoint,
      roleArn,
      accountId,
      stsEndpoint,
      customEndpoints,
      syncBackend,
      cognitoSyncEndpoint,
    },
  };
}

/**
 * Reads stored settings back; anything that no longer validates reads as "not configured". What is stored
 * passed the build's checks when it was saved, so only the shape is checked again here.
 */
export function parseSettings(value: unknown): Settings | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const result = validateSettings(value as Record<string, unknown>, { release: false, stored: true });
  return result.ok ? result.settings : undefined;
}

export function toForm(settings: Settings): SettingsForm {
  const form = {} as SettingsForm;
  for (const field of SETTINGS_FIELDS) form[field] = String(settings[field]);
  return form;
}

export function regionOf(identityPoolId: string): string {
  const match = POOL_ID.exec(identityPoolId);
  if (!match?.[1]) throw new Error(`Not an identity pool id: ${identityPoolId}`);
  return match[1];
}

/** The issuer as Cognito names the provider in `Logins`: no scheme, no trailing slash. */
export function loginsKey(issuer: string): string {
  return issuer.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

export interface Endpoints {
  issuer: URL;
  region: string;
  cognitoIdentity: string;
  dynamodb: string;
  sts: string;
  cognitoSync: string;
}

export function endpointsOf(settings: Settings): Endpoints {
  const issuer = issuerFromDomain(settings.domain);
  if (!issuer) throw new Error(`Not a provider domain: ${settings.domain}`);
  const region = regionOf(settings.identityPoolId);
  return {
    issuer,
    region,
    cognitoIdentity: settings.cognitoIdentityEndpoint || `https://${awsEndpointHost('cognito-identity', region)}`,
    dynamodb: settings.dynamodbEndpoint || `https://${awsEndpointHost('dynamodb', region)}`,
    // STS's regional endpoint: the global one is in us-east-1 and slower elsewhere.
    sts: settings.stsEndpoint || `https://${awsEndpointHost('sts', region)}`,
    cognitoSync: settings.cognitoSyncEndpoint || `https://${awsEndpointHost('cognito-sync', region)}`,
  };
}

/** Host permissions the settings need, as match patterns (a port is not part of a pattern). */
export function originsFor(settings: Settings): string[] {
  const { issuer, cognitoIdentity, dynamodb, cognitoSync, sts } = endpointsOf(settings);
  // Only the chosen dataset service's host, and STS only when the basic flow needs it: the others are never called.
  const dataset = settings.syncBackend === 'cognitoSync' ? cognitoSync : dynamodb;
  const hosts = [issuer, new URL(cognitoIdentity), new URL(dataset), ...(settings.roleArn ? [new URL(sts)] : [])];
  const patterns = hosts.map((url) => `${url.protocol}//${url.hostname}/*`);
  return [...new Set(patterns)];
}

/**
 * Whether a change of settings ends the current sign-in: another provider, client or pool, or any other
 * endpoint (the tokens and credentials of this sign-in must not go to a server they were not sent to).
 */
export function changesIdentity(before: Settings | undefined, after: Settings): boolean {
  return identityFieldsChanged(before, after).length > 0;
}

/** The fields whose change makes the sign-in another one (changesIdentity), in the form's order. */
export function identityFieldsChanged(before: Settings | undefined, after: Settings): SettingsField[] {
  if (!before) return [];
  const fields: SettingsField[] = ['domain', 'clientId', 'audience', 'identityPoolId', ...(Object.keys(AWS_ENDPOINT_FIELDS) as AwsEndpointField[])];
  return SETTINGS_FIELDS.filter((field) => fields.includes(field) && before[field] !== after[field]);
}

/** Whether a change of settings makes the current AWS credentials stale without ending the sign-in (another role). */
export function changesCredentials(before: Settings | undefined, after: Settings): boolean {
  if (!before) return false;
  return before.roleArn !== after.roleArn || before.accountId !== after.accountId || before.stsEndpoint !== after.stsEndpoint;
}
