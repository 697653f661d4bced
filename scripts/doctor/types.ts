// What every check answers: one line of the report, and for a failure or a warning what to do about it.

/** `skip`: not run because something it needs failed or was not given; `info`: not a check, something to do. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'info';

export type CheckId =
  | 'settings'
  | 'discovery'
  | 'issuer'
  | 'signing'
  | 'jwks'
  | 'idToken'
  | 'pkce'
  | 'refresh'
  | 'logout'
  | 'redirect'
  | 'pool'
  | 'cognito'
  | 'classicFlow'
  | 'datasetService';

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** What was checked, e.g. "Discovery". */
  title: string;
  /** What was found, one sentence. */
  detail: string;
  /** For `fail` and `warn`: what to change, in one or two sentences. */
  fix?: string;
  /** Extra lines shown under the check (the redirect URLs). */
  lines?: string[];
}

export function result(id: CheckId, status: CheckStatus, title: string, detail: string, fix?: string): CheckResult {
  return fix === undefined ? { id, status, title, detail } : { id, status, title, detail, fix };
}

/** What the checks reach the outside world through; tests pass their own. */
export interface DoctorContext {
  fetch: typeof fetch;
  /** Milliseconds each request may take. */
  timeoutMs: number;
  getId: GetIdProbe;
}

export interface GetIdInput {
  endpoint: string;
  region: string;
  identityPoolId: string;
  logins: Record<string, string>;
  timeoutMs: number;
}

/** Sends one Cognito Identity GetId and answers the identity id, or throws what the SDK threw. */
export type GetIdProbe = (input: GetIdInput) => Promise<string | undefined>;
