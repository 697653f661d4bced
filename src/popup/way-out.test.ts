import { describe, expect, it } from 'vitest';
import { wayOut } from './way-out';

describe('wayOut', () => {
  it('offers no Try again for a refusal by a rule: the same change would be refused again', () => {
    expect(wayOut('DATASET_LIMIT')).toBe('none');
    expect(wayOut('INVALID_INPUT')).toBe('none');
  });

  it('offers Try again where a moment later may go through', () => {
    for (const code of ['NETWORK', 'THROTTLED', 'SYNC_CONFLICT'] as const) expect(wayOut(code)).toBe('retry');
  });

  it('sends the person to the settings for what only the settings can fix, and to sign in for an ended sign-in', () => {
    for (const code of ['NOT_CONFIGURED', 'CREDENTIALS_CONFIG', 'CREDENTIALS_DENIED'] as const) expect(wayOut(code)).toBe('openSettings');
    expect(wayOut('AUTH_REQUIRED')).toBe('signIn');
  });

  it('does not send the person to settings that are right: what the provider alone can fix asks for a sign-in once it is', () => {
    for (const code of ['AUTH_TOKEN_NO_AZP', 'AUTH_TOKEN_ALGORITHM', 'AUTH_TOKEN_UNSIGNED', 'AUTH_SCOPE_REFUSED'] as const)
      expect(wayOut(code)).toBe('signIn');
  });
});
