import { describe, expect, it } from 'vitest';
import { badgeFor } from './badge';

describe('the toolbar badge', () => {
  it('asks for the person when renewal needs them', () => {
    expect(badgeFor({ status: 'needsSignIn' }, { pendingCount: 3 })).toMatchObject({ text: '!', title: 'Sign in again' });
  });

  it('says when the person is signed out', () => {
    expect(badgeFor({ status: 'signedOut' })).toMatchObject({ text: 'off', title: 'Signed out' });
  });

  it('shows a failed sync before the pending count', () => {
    const badge = badgeFor({ status: 'signedIn' }, { pendingCount: 2, lastError: { code: 'NETWORK', message: 'Offline.' } });
    expect(badge).toMatchObject({ text: '!', title: 'Sync failed: Offline.' });
  });

  it('counts the edits waiting to sync', () => {
    expect(badgeFor({ status: 'signedIn' }, { pendingCount: 2 })).toMatchObject({ text: '2', title: '2 edits waiting to sync' });
    expect(badgeFor({ status: 'signedIn' }, { pendingCount: 150 }).text).toBe('99+');
  });

  it.each(['signedIn', 'signingIn', 'notConfigured'] as const)('is empty when %s with nothing pending', (status) => {
    expect(badgeFor({ status }, { pendingCount: 0 }).text).toBe('');
  });
});
