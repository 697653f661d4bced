import { describe, expect, it } from 'vitest';
import { createFaultRegistry, parseFault } from './faults';

describe('the fault registry', () => {
  it('hits the next N matching requests, then none', () => {
    const faults = createFaultRegistry();
    faults.add({ service: 'dynamodb', kind: 'drop', count: 2 });
    expect(faults.take('dynamodb', 'GetItem')?.kind).toBe('drop');
    expect(faults.take('dynamodb', 'Query')?.kind).toBe('drop');
    expect(faults.take('dynamodb', 'GetItem')).toBeUndefined();
  });

  it('hits only its service and operation', () => {
    const faults = createFaultRegistry();
    faults.add({ service: 'cognito-identity', operation: 'GetId', kind: 'status' });
    expect(faults.take('dynamodb', 'GetId')).toBeUndefined();
    expect(faults.take('cognito-identity', 'GetCredentialsForIdentity')).toBeUndefined();
    expect(faults.take('cognito-identity', 'GetId')?.kind).toBe('status');
  });

  it('plays faults in the order they were added', () => {
    const faults = createFaultRegistry();
    faults.add({ service: 'oidc', kind: 'delay', delayMs: 5 });
    faults.add({ service: 'oidc', kind: 'error' });
    expect([faults.take('oidc', 'token')?.kind, faults.take('oidc', 'token')?.kind]).toEqual(['delay', 'error']);
  });

  it('forgets everything on clear', () => {
    const faults = createFaultRegistry();
    faults.add({ service: 'oidc', kind: 'error', count: 5 });
    faults.clear();
    expect(faults.take('oidc', 'token')).toBeUndefined();
  });
});

describe('parseFault', () => {
  it('accepts a complete fault', () => {
    const fault = {
      service: 'dynamodb',
      operation: 'Query',
      count: 3,
      kind: 'error',
      errorType: 'ThrottlingException',
      message: 'slow down',
      status: 400,
    };
    expect(parseFault(fault)).toEqual(fault);
  });

  it('says what is wrong with an invalid fault', () => {
    expect(() => parseFault({ service: 's3', kind: 'error' })).toThrow('service must be one of oidc, cognito-identity, dynamodb');
    expect(() => parseFault({ service: 'oidc', kind: 'explode' })).toThrow('kind must be one of error, status, delay, drop');
    expect(() => parseFault({ service: 'oidc', kind: 'error', count: 0 })).toThrow('count must be a positive integer');
    expect(() => parseFault({ service: 'oidc', kind: 'status', status: 999 })).toThrow('status must be an HTTP status');
    expect(() => parseFault([])).toThrow('a fault is a JSON object');
  });
});
