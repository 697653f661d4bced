// The stack's public contract: what startStack accepts and returns, and what /_stack/* speaks.

export interface TrustedProvider {
  /** The issuer exactly as its tokens carry it in `iss`, e.g. `https://tenant.auth0.com/`. */
  issuer: string;
  /** Accepted `azp`/`aud` values (the provider's client ids). */
  clientIds: string[];
}

export interface StackOptions {
  /** 0 picks a free port (tests). Default 4599. */
  port?: number;
  host?: '127.0.0.1';
  /** Persist the table, signing keys, identities and credentials here. */
  dataDir?: string;
  /** Keep everything in memory; the default when dataDir is absent. */
  memory?: boolean;
  /** Lifetimes, in seconds. */
  idTokenTtl?: number;
  accessTokenTtl?: number;
  refreshTokenTtl?: number;
  sessionTtl?: number;
  credentialsTtl?: number;
  /** More OpenID Connect issuers the identity pool trusts, beside the stack's own provider. */
  trust?: TrustedProvider[];
  /** Redirect URIs registered in addition to the development extension's. */
  redirectUris?: string[];
  /** 'HS256' imitates an Auth0 application left on HS256: Cognito must refuse its tokens. */
  idTokenAlg?: 'RS256' | 'HS256';
  /** One line per request on stdout. */
  log?: boolean;
  /**
   * The stack's clock for Cognito Identity and the DynamoDB gateway (credential lifetimes, signature dates),
   * in milliseconds; tests move it forward instead of sleeping. The identity provider keeps real time.
   */
  clock?: () => number;
  /** The identity role's dynamodb actions; default: exactly those deploy/cloudformation.json allows. */
  allowedActions?: readonly string[];
  /**
   * Awaited by each DynamoDB transaction once it holds its items, before it commits; by default it commits at
   * once. Two transactions on one item that overlap conflict, as in DynamoDB (stack/dynamodb/transactions.ts):
   * a test holds one here while it sends another, then lets it go.
   */
  holdTransaction?: () => Promise<void>;
  /**
   * The pool's AllowClassicFlow: whether GetOpenIdToken (the basic flow's step before STS) is answered. Off by
   * default, as deploy/cloudformation.json deploys the pool.
   */
  allowClassicFlow?: boolean;
  /** IAM roles STS knows beside the template's, e.g. with another trust policy, for tests. */
  roles?: ExtraRole[];
  /**
   * The trust policy of the pool's authenticated role (the template's), in place of the template's own: a test's
   * broken one, which both flows must refuse. `{ "Ref": "IdentityPool" }` stands for the stack's pool id.
   */
  authenticatedRoleTrust?: unknown;
}

/** A role beside the template's: `arn:aws:iam::000000000000:role/<name>`. */
export interface ExtraRole {
  name: string;
  /** An AssumeRolePolicyDocument; `{ "Ref": "IdentityPool" }` stands for the stack's pool id. */
  trustPolicy: unknown;
  /** Seconds; default 3600, as IAM's. */
  maxSessionDuration?: number;
}

export interface SeededUser {
  username: string;
  password: string;
  name: string;
  email: string;
}

export interface StackConfig {
  issuer: string;
  clientId: 'local-extension';
  audience?: undefined;
  identityPoolId: string;
  region: 'us-east-1';
  tableName: 'ExtensionDatasets';
  endpoints: { cognitoIdentity: string; dynamodb: string; cognitoSync: string; sts: string };
  /** The template's authenticated role, for the basic flow's AssumeRoleWithWebIdentity. */
  roleArn: string;
  /** Whether the pool allows the basic (classic) flow. */
  allowClassicFlow: boolean;
  /** The dataset services the stack serves, each at its endpoint above. */
  backends: Array<'dynamodb' | 'cognitoSync'>;
  redirectUris: string[];
  users: SeededUser[];
}

export type Service = 'oidc' | 'cognito-identity' | 'dynamodb' | 'cognito-sync' | 'sts';

export interface Fault {
  service: Service;
  /** An X-Amz-Target operation ('GetId', 'TransactWriteItems'), a Cognito Sync operation ('UpdateRecords') or an OIDC route ('token'). */
  operation?: string;
  /** How many matching requests it hits. Default 1. */
  count?: number;
  kind: 'error' | 'status' | 'delay' | 'drop';
  errorType?: string;
  message?: string;
  status?: number;
  delayMs?: number;
}

export interface Counter {
  requests: number;
  bytesIn: number;
  bytesOut: number;
}

/** Keyed `${service}.${operation}`, e.g. 'dynamodb.Query', 'oidc.token'. */
export type Counters = Record<string, Counter>;

export interface Stack {
  url: string;
  config: StackConfig;
  counters(): Counters;
  resetCounters(): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  /**
   * Cognito Identity merging identity `from` into `into` (two sign-ins linked), and Cognito Sync's side of it:
   * `into` takes `from`'s logins and `from` is refused from then on (credentials issued before last until they
   * expire); `from`'s datasets become `into`'s `<dataset>.<from>`, listed in ListRecords' MergedDatasetNames.
   * Answers their names. Throws, changing nothing, for an identity GetId never answered, the same identity twice,
   * or an `into` that was merged itself; merging `from` again into the same `into` moves only its new datasets.
   */
  mergeIdentities(from: string, into: string): Promise<string[]>;
  close(): Promise<void>;
}
