import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { cancellationCodes, classifyDynamoError } from './dynamodb-errors';

function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: status === undefined ? {} : { httpStatusCode: status }, ...extra });
}

describe('classifyDynamoError', () => {
  it('retries throttling as THROTTLED', () => {
    for (const name of ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']) {
      const { retryable, error } = classifyDynamoError(sdkError(name, 400), 'T');
      expect({ retryable, code: error.code }).toEqual({ retryable: true, code: 'THROTTLED' });
    }
  });

  it('retries a transaction cancelled for a transient reason, not one whose condition failed', () => {
    const conflict = sdkError('TransactionCanceledException', 400, { CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] });
    expect(classifyDynamoError(conflict, 'T').retryable).toBe(true);
    const condition = sdkError('TransactionCanceledException', 400, { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] });
    expect(classifyDynamoError(condition, 'T').retryable).toBe(false);
    expect(cancellationCodes(condition)).toEqual(['ConditionalCheckFailed', 'None']);
  });

  it('retries 5xx answers and lost connections as NETWORK', () => {
    const server = classifyDynamoError(sdkError('InternalServerError', 500, { $fault: 'server' }), 'T');
    expect({ retryable: server.retryable, code: server.error.code }).toEqual({ retryable: true, code: 'NETWORK' });
    const reset = classifyDynamoError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'T');
    expect({ retryable: reset.retryable, code: reset.error.code }).toEqual({ retryable: true, code: 'NETWORK' });
    const fetchFailed = classifyDynamoError(new TypeError('Failed to fetch'), 'T');
    expect(fetchFailed.retryable).toBe(true);
  });

  it('retries a signature refused for this computer’s clock once the SDK has corrected for it, and says so', () => {
    const skewed = sdkError('InvalidSignatureException', 400, {
      message: 'Signature not yet current: 20261202T120000Z is still later than 20261202T115500Z',
      $metadata: { httpStatusCode: 400, clockSkewCorrected: true },
    });
    const { retryable, error } = classifyDynamoError(skewed, 'T');
    expect({ retryable, code: error.code }).toEqual({ retryable: true, code: 'NETWORK' });
    expect(error.message).toContain("this computer's clock is off");
    // The SDK marks any answer from a server minutes away: a refusal for another reason stays what it is.
    const denied = sdkError('AccessDeniedException', 400, { $metadata: { httpStatusCode: 400, clockSkewCorrected: true } });
    expect(classifyDynamoError(denied, 'T')).toMatchObject({ retryable: false, error: { code: 'CREDENTIALS_DENIED' } });
    // Without a correction there is nothing new to try: refused as before.
    expect(classifyDynamoError(sdkError('InvalidSignatureException', 400), 'T')).toMatchObject({
      retryable: false,
      error: { code: 'CREDENTIALS_DENIED' },
    });
  });

  it('does not retry refused credentials, and names the table in the message', () => {
    const { retryable, error } = classifyDynamoError(sdkError('AccessDeniedException', 400), 'MyTable');
    expect({ retryable, code: error.code }).toEqual({ retryable: false, code: 'CREDENTIALS_DENIED' });
    expect(error.message).toContain('MyTable');
  });

  it('tells expired credentials from refused ones: no role to change, and the settings are not named', () => {
    const { retryable, error } = classifyDynamoError(sdkError('ExpiredTokenException', 400), 'MyTable');
    expect({ retryable, code: error.code }).toEqual({ retryable: false, code: 'CREDENTIALS_EXPIRED' });
    expect(error.message).not.toMatch(/policy|settings|MyTable/);
  });

  it('reports a table with other keys as NOT_CONFIGURED, naming the keys it needs, not as something to try again', () => {
    for (const message of [
      'The provided key element does not match the schema',
      'The table does not have the specified index: bySync',
      // bySync made a global index: the pull's consistent Query is refused (DynamoDB's and dynalite's words).
      'Consistent reads are not supported on global secondary indexes',
    ]) {
      const { retryable, error } = classifyDynamoError(sdkError('ValidationException', 400, { message }), 'Other');
      expect({ retryable, code: error.code }).toEqual({ retryable: false, code: 'NOT_CONFIGURED' });
      expect(error.message).toContain('“Other”');
      expect(error.message).toContain('pk and sk');
      expect(error.message).toContain('local secondary index bySync');
    }
    // Other refusals of a request stay what they were.
    expect(
      classifyDynamoError(sdkError('ValidationException', 400, { message: 'Item size has exceeded the maximum allowed size' }), 'T').error.code,
    ).toBe('INTERNAL');
  });

  it('reports a missing table as NOT_CONFIGURED', () => {
    expect(classifyDynamoError(sdkError('ResourceNotFoundException', 400), 'T').error.code).toBe('NOT_CONFIGURED');
  });

  it('keeps the SDK error as the cause, and anything unknown is INTERNAL and not retried', () => {
    const original = sdkError('ValidationException', 400);
    const { retryable, error } = classifyDynamoError(original, 'T');
    expect({ retryable, code: error.code, cause: error.cause }).toEqual({ retryable: false, code: 'INTERNAL', cause: original });
  });

  it('passes an AppError through', () => {
    const error = new AppError('DATASET_LIMIT', 'too big');
    expect(classifyDynamoError(error, 'T')).toEqual({ retryable: false, error });
  });
});
