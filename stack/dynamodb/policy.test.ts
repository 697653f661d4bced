import { describe, expect, it } from 'vitest';
import { AwsError } from '../http';
import { authorize, WIDE_ACTIONS } from './policy';
import type { Access } from './policy';

const me = 'us-east-1:11111111-1111-4111-8111-111111111111';
const other = 'us-east-1:22222222-2222-4222-8222-222222222222';
// The extension's Query reads the bySync index; its item actions go to the table.
const access = (overrides: Partial<Access>): Access => ({
  action: 'GetItem',
  table: 'ExtensionDatasets',
  leadingKeys: [{ S: me }],
  ...(overrides.action === 'Query' ? { index: 'bySync' } : {}),
  ...overrides,
});

function denied(accesses: Access[], allowedActions?: ReadonlySet<string>): string {
  try {
    authorize(me, accesses, allowedActions);
  } catch (error) {
    if (error instanceof AwsError) return error.name;
    throw error;
  }
  return 'allowed';
}

describe('the identity role policy', () => {
  it('allows the deployed role’s data actions on the caller’s own partition, and nothing more', () => {
    for (const action of ['GetItem', 'PutItem', 'UpdateItem', 'Query']) expect(denied([access({ action })])).toBe('allowed');
    for (const action of ['DeleteItem', 'BatchGetItem', 'BatchWriteItem', 'ConditionCheckItem', 'Scan']) {
      expect(denied([access({ action })])).toBe('AccessDeniedException');
    }
  });

  it('allows a wider role’s actions when asked to, still on the caller’s own partition only', () => {
    for (const action of ['DeleteItem', 'BatchGetItem', 'BatchWriteItem', 'ConditionCheckItem']) {
      expect(denied([access({ action })], WIDE_ACTIONS)).toBe('allowed');
      expect(denied([access({ action, leadingKeys: [{ S: other }] })], WIDE_ACTIONS)).toBe('AccessDeniedException');
    }
  });

  it('denies another identity partition', () => {
    expect(denied([access({ leadingKeys: [{ S: other }] })])).toBe('AccessDeniedException');
  });

  it('denies a request mixing the caller partition with another', () => {
    expect(denied([access({ action: 'BatchGetItem', leadingKeys: [{ S: me }, { S: other }] })])).toBe('AccessDeniedException');
  });

  it('denies a partition key that is not a string', () => {
    expect(denied([access({ leadingKeys: [{ N: '1' }] })])).toBe('AccessDeniedException');
  });

  it('denies other tables', () => {
    expect(denied([access({ table: 'Other' })])).toBe('AccessDeniedException');
  });

  it('denies actions outside the policy', () => {
    expect(denied([access({ action: 'Scan', leadingKeys: [] })])).toBe('AccessDeniedException');
    expect(denied([access({ action: 'ListTables', table: undefined, leadingKeys: [] })])).toBe('AccessDeniedException');
  });

  it('allows DescribeTable in the wider role, which names no partition', () => {
    expect(denied([access({ action: 'DescribeTable', leadingKeys: [] })], WIDE_ACTIONS)).toBe('allowed');
  });

  it('names the action and table in the message as IAM does', () => {
    expect(() => authorize(me, [access({ action: 'PutItem', leadingKeys: [{ S: other }] })])).toThrow(
      'is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/ExtensionDatasets',
    );
  });

  it('allows Query on the bySync index only, not on the table or another index', () => {
    expect(denied([access({ action: 'Query', index: undefined })])).toBe('AccessDeniedException');
    expect(denied([access({ action: 'Query', index: 'other' })])).toBe('AccessDeniedException');
    expect(() => authorize(me, [access({ action: 'Query', index: 'other' })])).toThrow(
      'on resource: arn:aws:dynamodb:us-east-1:000000000000:table/ExtensionDatasets/index/other',
    );
  });

  it('allows the item actions on the table only, not through an index', () => {
    for (const action of ['GetItem', 'PutItem', 'UpdateItem']) expect(denied([access({ action, index: 'bySync' })])).toBe('AccessDeniedException');
  });
});
