import { describe, expect, it } from 'vitest';
import { trustAllows, unscopedTrustProblem } from './trust-policy';

const AUD = 'cognito-identity.amazonaws.com:aud';
const AMR = 'cognito-identity.amazonaws.com:amr';
const POOL = 'us-east-1:5ca1ab1e-0000-4000-8000-00000000c0de';
const statement = (extra: Record<string, unknown>) => ({
  Effect: 'Allow',
  Principal: { Federated: 'cognito-identity.amazonaws.com' },
  Action: 'sts:AssumeRoleWithWebIdentity',
  ...extra,
});
const TEMPLATE = { Statement: [statement({ Condition: { StringEquals: { [AUD]: POOL }, 'ForAnyValue:StringLike': { [AMR]: 'authenticated' } } })] };
const signedIn = { [AUD]: [POOL], [AMR]: ['authenticated', '127.0.0.1:4599'] };

describe('a trust policy', () => {
  it('as the template writes it lets a signed-in identity of the pool in', () => {
    expect(trustAllows(TEMPLATE, signedIn)).toBe(true);
  });

  it('as the template writes it keeps out a guest and another pool', () => {
    expect(trustAllows(TEMPLATE, { ...signedIn, [AMR]: ['unauthenticated'] })).toBe(false);
    expect(trustAllows(TEMPLATE, { ...signedIn, [AUD]: ['us-east-1:00000000-0000-4000-8000-000000000000'] })).toBe(false);
  });

  it('needs its principal and action', () => {
    expect(trustAllows({ Statement: [statement({ Principal: { Federated: 'accounts.google.com' } })] }, signedIn)).toBe(false);
    expect(trustAllows({ Statement: [statement({ Action: 'sts:AssumeRole' })] }, signedIn)).toBe(false);
    expect(trustAllows({ Statement: [statement({ Action: 'sts:*' })] }, signedIn)).toBe(true);
  });

  it('lets an explicit Deny win', () => {
    expect(trustAllows({ Statement: [...TEMPLATE.Statement, statement({ Effect: 'Deny' })] }, signedIn)).toBe(false);
  });

  it('never matches a single-valued operator against several amr values, and fails closed on an unknown operator', () => {
    expect(trustAllows({ Statement: [statement({ Condition: { StringLike: { [AMR]: 'authenticated' } } })] }, signedIn)).toBe(false);
    expect(trustAllows({ Statement: [statement({ Condition: { DateGreaterThan: { [AUD]: POOL } } })] }, signedIn)).toBe(false);
  });

  it('is one IAM refuses to create when it trusts Cognito for every identity pool (no aud condition)', () => {
    expect(unscopedTrustProblem(TEMPLATE)).toBeUndefined();
    const problem =
      'a statement trusts cognito-identity.amazonaws.com without a condition on cognito-identity.amazonaws.com:aud: IAM refuses such a trust policy';
    expect(unscopedTrustProblem({ Statement: [statement({})] })).toBe(problem);
    expect(unscopedTrustProblem({ Statement: [statement({ Condition: { 'ForAnyValue:StringLike': { [AMR]: 'authenticated' } } })] })).toBe(problem);
    expect(unscopedTrustProblem({ Statement: [statement({ Condition: { StringNotEquals: { [AUD]: POOL } } })] })).toBe(problem);
    expect(unscopedTrustProblem({ Statement: [statement({ Condition: { Null: { [AUD]: 'false' } } })] })).toBe(problem);
    expect(unscopedTrustProblem({ Statement: [statement({ Principal: '*' })] })).toBe(problem);
    // Each statement that trusts Cognito must be scoped, not just one of them.
    expect(unscopedTrustProblem({ Statement: [TEMPLATE.Statement[0], statement({})] })).toBe(problem);
    // Not trusting Cognito at all, or denying: nothing to refuse.

    expect(unscopedTrustProblem({ Statement: [statement({ Principal: { Federated: 'accounts.google.com' } })] })).toBeUndefined();
    expect(unscopedTrustProblem({ Statement: [statement({ Effect: 'Deny' })] })).toBeUndefined();
  });
});
