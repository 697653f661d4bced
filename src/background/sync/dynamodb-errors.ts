// What a DynamoDB failure means for a sync: retry it (throttling, 5xx, a lost connection) or not,
// and the AppError a person can act on. The SDK error is kept as the cause.
import { t } from '../../shared/i18n';
import { classifySdkError, shape, type Classified } from './sdk-errors';

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'LimitExceededException',
]);
/**
 * DynamoDB's refusals of a table whose keys or index are not the dataset model's (another table under that
 * name, or one made by hand with bySync as a global index, which refuses the pull's consistent read): trying
 * again cannot help; the table name in the settings, or the table, must change.
 */
const WRONG_SCHEMA =
  /key element does not match the schema|missed key schema element|does not have the specified index|Type mismatch for key|Consistent reads are not supported on global secondary indexes/i;
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
  return classifySdkError(error, {
    own: ({ name, message }, wrap) => {
      if (name === 'ValidationException' && WRONG_SCHEMA.test(message))
        return wrap(false, 'NOT_CONFIGURED', t('errorSyncTableSchema', [tableName, message]));
      const transient =
        THROTTLING.has(name) ||
        cancellationCodes(error)?.some((code) => TRANSIENT_REASONS.has(code)) ||
        name === 'TransactionConflictException' ||
        name === 'TransactionInProgressException';
      return transient ? wrap(true, 'THROTTLED', t('errorSyncThrottled')) : undefined;
    },
    denied: ({ name, status }) => t('errorSyncDenied', [name || String(status), tableName]),
    notFound: () => t('errorSyncTableMissing', tableName),
  });
}
