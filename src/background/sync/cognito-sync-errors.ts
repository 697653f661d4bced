// What a Cognito Sync failure means for a sync: retry it (throttling, 5xx, a lost connection) or not,
// and the AppError a person can act on. The SDK error is kept as the cause. A 409
// ResourceConflictException on UpdateRecords is no error: the remote answers it as a conflict.
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import { isNetworkFailure, shape, type Classified } from './sdk-errors';

const THROTTLING = new Set(['TooManyRequestsException', 'LambdaThrottledException', 'ThrottlingException', 'ConcurrentModificationException']);
const DENIED = new Set([
  'NotAuthorizedException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
]);

export function errorName(error: unknown): string {
  const name = shape(error).name;
  return typeof name === 'string' ? name : '';
}

export function classifyCognitoSyncError(error: unknown): Classified {
  if (error instanceof AppError) return { retryable: false, error };
  const e = shape(error);
  const name = errorName(error);
  const message = typeof e.message === 'string' ? e.message : String(error);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const wrap = (retryable: boolean, code: AppError['code'], text: string): Classified => ({
    retryable,
    error: new AppError(code, text, { cause: error }),
  });

  if (THROTTLING.has(name) || status === 429) return wrap(true, 'THROTTLED', t('errorSyncThrottled'));
  if (name === 'LimitExceededException') return wrap(false, 'DATASET_LIMIT', t('errorCognitoSyncLimit', message));
  if (name === 'ResourceConflictException') return wrap(false, 'SYNC_CONFLICT', t('errorSyncConflict', '1'));
  if (DENIED.has(name) || status === 403) return wrap(false, 'CREDENTIALS_DENIED', t('errorCognitoSyncDenied', name || String(status)));
  if (name === 'ResourceNotFoundException') return wrap(false, 'NOT_CONFIGURED', t('errorCognitoSyncMissing', message));
  if ((status !== undefined && status >= 500) || e.$fault === 'server')
    return wrap(true, 'NETWORK', t('errorSyncServer', name || `HTTP ${status ?? '5xx'}`));
  if (status === undefined && isNetworkFailure(e, name, message)) return wrap(true, 'NETWORK', t('errorSyncNetwork', message));
  return wrap(false, 'INTERNAL', t('errorSyncUnexpected', `${name || 'Error'}: ${message}`));
}
