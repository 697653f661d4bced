// What a DynamoDB failure means for a sync: retry it (throttling, 5xx, a lost connection) or not,
// and the AppError a person can act on. The SDK error is kept as the cause.
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import { isNetworkFailure, shape, type Classified } from './sdk-errors';

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'LimitExceededException',
]);
const DENIED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'NotAuthorizedException',
]);
/** Cancellation reasons of a transaction that say "try again", not "your condition failed". */
const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** The codes of a TransactionCanceledException's reasons, in item order ('None' for items that were fine). */
export function cancellationCodes(error: unknown): string[] | undefined {
  const e = shape(error);
  if (e.name !== 'TransactionCanceledException' || !Array.isArray(e.CancellationReasons)) return undefined;
  return e.CancellationReasons.map((reason: unknown) => {
    const code = shape(reason).code ?? (reason as { Code?: unknown } | null)?.Code;
    return typeof code === 'string' ? code : 'None';
  });
}

export function classifyDynamoError(error: unknown, tableName: string): Classified {
  if (error instanceof AppError) return { retryable: false, error };
  const e = shape(error);
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const wrap = (retryable: boolean, code: AppError['code'], text: string): Classified => ({
    retryable,
    error: new AppError(code, text, { cause: error }),
  });

  if (THROTTLING.has(name)) return wrap(true, 'THROTTLED', t('errorSyncThrottled'));
  const reasons = cancellationCodes(error);
  if (reasons?.some((code) => TRANSIENT_REASONS.has(code))) return wrap(true, 'THROTTLED', t('errorSyncThrottled'));
  if (name === 'TransactionConflictException' || name === 'TransactionInProgressException') {
    return wrap(true, 'THROTTLED', t('errorSyncThrottled'));
  }
  if (DENIED.has(name) || status === 403) return wrap(false, 'CREDENTIALS_DENIED', t('errorSyncDenied', [name || String(status), tableName]));
  if (name === 'ResourceNotFoundException') return wrap(false, 'NOT_CONFIGURED', t('errorSyncTableMissing', tableName));
  if ((status !== undefined && status >= 500) || e.$fault === 'server') {
    return wrap(true, 'NETWORK', t('errorSyncServer', name || `HTTP ${status ?? '5xx'}`));
  }
  if (status === undefined && isNetworkFailure(e, name, message)) return wrap(true, 'NETWORK', t('errorSyncNetwork', message));
  return wrap(false, 'INTERNAL', t('errorSyncUnexpected', `${name || 'Error'}: ${message}`));
}
