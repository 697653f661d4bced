import { describe, expect, it } from 'vitest';
import { parseDoctorArgs } from './args';
import { exitCode, formatReport } from './report';
import { result } from '../../src/shared/checks/types';

describe('doctor command line', () => {
  it('maps the settings flags onto settings fields', () => {
    expect(
      parseDoctorArgs([
        '--domain',
        't.auth0.com',
        '--client-id',
        'c',
        '--pool-id',
        'p',
        '--cognito-identity-endpoint',
        'http://127.0.0.1:1',
        '--custom-endpoints',
      ]),
    ).toEqual({
      kind: 'run',
      options: {
        flags: { domain: 't.auth0.com', clientId: 'c', identityPoolId: 'p', cognitoIdentityEndpoint: 'http://127.0.0.1:1', customEndpoints: 'true' },
      },
      timeoutMs: 10_000,
      json: false,
    });
  });

  it('takes a settings file, an ID token file and a timeout', () => {
    expect(parseDoctorArgs(['--settings', 's.json', '--id-token', 't.jwt', '--timeout', '2500', '--json'])).toEqual({
      kind: 'run',
      options: { flags: {}, settingsFile: 's.json', idTokenFile: 't.jwt' },
      timeoutMs: 2_500,
      json: true,
    });
  });

  it('refuses missing settings, unknown flags and a bad timeout', () => {
    expect(parseDoctorArgs(['--domain', 't.auth0.com'])).toMatchObject({ kind: 'error' });
    expect(parseDoctorArgs(['--settings', 's.json', '--nope'])).toMatchObject({ kind: 'error' });
    expect(parseDoctorArgs(['--settings', 's.json', '--timeout', 'soon'])).toMatchObject({ kind: 'error' });
    expect(parseDoctorArgs(['stray'])).toMatchObject({ kind: 'error' });
    expect(parseDoctorArgs(['-h'])).toEqual({ kind: 'help' });
  });
});

describe('doctor report', () => {
  const results = [
    result('settings', 'pass', 'Settings', 'valid.'),
    result('pkce', 'fail', 'Code flow with PKCE', 'no S256.', 'Enable S256.'),
    result('logout', 'warn', 'Logout', 'none.', 'Enable it.'),
    result('idToken', 'skip', 'ID token', 'not checked.'),
  ];

  it('writes one line per check with its mark, and the fix under failures and warnings', () => {
    expect(formatReport(results)).toBe(
      '✓ Settings: valid.\n✗ Code flow with PKCE: no S256.\n    Fix: Enable S256.\n! Logout: none.\n    Fix: Enable it.\n- ID token: not checked.\n\n1 check failed, 1 warning.\n',
    );
  });

  it('exits 1 when a check failed, 0 when there are only warnings', () => {
    expect(exitCode(results)).toBe(1);
    expect(exitCode(results.filter((check) => check.status !== 'fail'))).toBe(0);
  });
});
