import { describe, expect, it } from 'vitest';
import { authBadge } from './badge';

describe('the toolbar badge', () => {
  it('asks for the person when renewal needs them', () => {
    expect(authBadge({ status: 'needsSignIn' })).toEqual({ text: '!', title: 'Sign in again' });
  });

  it.each(['signedIn', 'signedOut', 'signingIn', 'notConfigured'] as const)('is empty when %s', (status) => {
    expect(authBadge({ status }).text).toBe('');
  });
});
