// What a Cognito Sync failure means for a sync: retry it (throttling, 5xx, a lost connection) or not,
// and the AppError a person can act on. The SDK error is kept as the cause. A 409
// ResourceConflictException on UpdateRecords is no error: the remote answers it as a conflict.
import { t } from '../../shared/i18n';
import { classifySdkError, shape, type Classified } from './sdk-errors';

const THROTTLING = new Set(['TooManyRequestsException', 'LambdaThrottledException', 'ThrottlingException', 'ConcurrentModificationException']);

export function errorName(error: unknown): string {
  const name = shape(error).name;
  return typeof name === 'string' ? name : '';
}

export function classifyCognitoSyncError(error: unknown): Classified {
  return classifySdkError(error, {
    own: ({ name, message, status }, wrap) => {
      if (THROTTLING.has(name) || status === 429) return wrap(true, 'THROTTLED', t('errorSyncThrottled'));
      if (name === 'LimitExceededException') return wrap(false, 'DATASET_LIMIT', t('errorCognitoSyncLimit', message));
      if (name === 'ResourceConflictException') return wrap(false, 'SYNC_CONFLICT', t('errorSyncConflict', '1'));
      return undefined;
    },
    denied: ({ name, status }) => t('errorCognitoSyncDenied', name || String(status)),
    notFound: ({ message }) => t('errorCognitoSyncMissing', message),
  });
}
