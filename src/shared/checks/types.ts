// What every check answers: one line of the doctor's report, and for a failure or a warning what to do about
// it; for a failure the options page can show, the settings field at fault and its sentence in _locales.
import type { MessageKey } from '../i18n';
import type { SettingsField } from '../settings';

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
  | 'redirectRegistered'
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
  /** For a failure: the field the options page names, and what it says there (English text stays the doctor's). */
  fault?: CheckFault;
  /**
   * For a warning that left the check undecided (a server error, throttling): what the options page says
   * instead of "passed", with no field named, since the settings may well be right.
   */
  unsettled?: CheckNote;
}

/** A sentence in _locales and its $1, $2…: URLs, names and values, never words that would need translating. */
export interface CheckNote {
  message: MessageKey;
  args: string[];
}

export interface CheckFault {
  field: SettingsField;
  message: MessageKey;
  /** The message's $1, $2…: URLs, names and values, never words that would need translating. */
  args: string[];
}

/** The same check, with the field at fault and the sentence the options page shows under it. */
export function atField(check: CheckResult, field: SettingsField, message: MessageKey, ...args: string[]): CheckResult {
  return { ...check, fault: { field, message, args } };
}

/** The same warning, with the sentence the options page shows for a check it could not decide. */
export function undecided(check: CheckResult, message: MessageKey, ...args: string[]): CheckResult {
  return { ...check, unsettled: { message, args } };
}

export function result(id: CheckId, status: CheckStatus, title: string, detail: string, fix?: string): CheckResult {
  return fix === undefined ? { id, status, title, detail } : { id, status, title, detail, fix };
}

/** What the checks reach the outside world through (Node's fetch or a page's); tests pass their own. */
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
