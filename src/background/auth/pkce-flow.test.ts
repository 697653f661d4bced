import { describe, expect, it } from 'vitest';
import { authorizationError, webAuthFlowError } from './auth-errors';
import { callbackParameters } from './pkce-flow';

const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';

describe('the redirect back from the provider', () => {
  it('is read only when it is the redirect URI', () => {
    expect(callbackParameters(`${REDIRECT}?code=c&state=s`, REDIRECT).get('code')).toBe('c');
  });

  it.each([
    ['another host', 'https://evil.example/?code=c&state=s'],
    ['a look-alike host', 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org.evil.example/?code=c'],
    ['another path', `${REDIRECT}other?code=c`],
    ['another scheme', REDIRECT.replace('https:', 'http:') + '?code=c'],
    ['no URL at all', 'not a url'],
  ])('is refused when it goes to %s', (_, url) => {
    expect(() => callbackParameters(url, REDIRECT)).toThrow(expect.objectContaining({ code: 'AUTH_UNEXPECTED_REDIRECT' }));
  });
});

describe('error answers', () => {
  it.each([
    ['access_denied', 'AUTH_DENIED'],
    ['login_required', 'AUTH_REQUIRED'],
    ['consent_required', 'AUTH_REQUIRED'],
    ['interaction_required', 'AUTH_REQUIRED'],
    ['server_error', 'AUTH_PROVIDER'],
  ])('%s → %s', (error, code) => {
    expect(authorizationError(error, undefined).code).toBe(code);
  });

  it.each([
    ['The user did not approve access.', 'AUTH_CANCELLED'],
    ['User cancelled or denied access.', 'AUTH_CANCELLED'],
    ['User interaction required.', 'AUTH_REQUIRED'],
    ['Requires user interaction', 'AUTH_REQUIRED'],
    ['Authorization page could not be loaded.', 'AUTH_PROVIDER'],
  ])('launchWebAuthFlow rejecting with "%s" → %s', (message, code) => {
    expect(webAuthFlowError(new Error(message)).code).toBe(code);
  });
});
