import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import {
  checkSettingsFileSize,
  describeSettingsFileProblem,
  parseSettingsFile,
  serializeSettingsFile,
  SETTINGS_FILE_MAX_BYTES,
} from './settings-file';

const settings: Settings = {
  ...DEFAULT_SETTINGS,
  domain: 'tenant.eu.auth0.com',
  clientId: 'AbC123',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
  datasetName: 'Notes',
  syncIntervalMinutes: 30,
  conflictStrategy: 'serverWins',
};

const file = (body: Record<string, unknown>): string => JSON.stringify({ format: 'cognito-sync-settings', version: 1, ...body });

describe('settings file', () => {
  it('writes the format, the version and every setting', () => {
    expect(JSON.parse(serializeSettingsFile(settings))).toEqual({ format: 'cognito-sync-settings', version: 1, settings });
  });

  it('reads back what it wrote', () => {
    expect(parseSettingsFile(serializeSettingsFile(settings))).toEqual({ ok: true, settings });
  });

  it('carries the basic flow’s role ARN and account id both ways, and reads an older file without them as the enhanced flow', () => {
    const basic = { ...settings, roleArn: 'arn:aws:iam::123456789012:role/Cognito_Auth_Role', accountId: '123456789012' };
    expect(parseSettingsFile(serializeSettingsFile(basic))).toEqual({ ok: true, settings: basic });
    const { roleArn, accountId, stsEndpoint, ...older } = settings;
    expect(parseSettingsFile(file({ settings: older }))).toMatchObject({ ok: true, settings: { roleArn: '', accountId: '' } });
  });

  it('names the role ARN field of a file whose ARN is malformed', () => {
    const result = parseSettingsFile(file({ settings: { ...settings, roleArn: 'my-role' } }));
    expect(result).toEqual({ ok: false, problem: { code: 'INVALID_SETTINGS', problems: { roleArn: 'errorRoleArn' } } });
  });

  it('writes only the known settings, whatever else the object carries', () => {
    const extra = { ...settings, idToken: 'eyJ...' } as Settings;
    expect(Object.keys(JSON.parse(serializeSettingsFile(extra)).settings)).not.toContain('idToken');
  });

  it('refuses a file that is not JSON', () => {
    expect(parseSettingsFile('domain=tenant.auth0.com')).toEqual({ ok: false, problem: { code: 'NOT_JSON' } });
    expect(parseSettingsFile('')).toEqual({ ok: false, problem: { code: 'NOT_JSON' } });
  });

  it('accepts a byte order mark before the JSON', () => {
    expect(parseSettingsFile(`\uFEFF${serializeSettingsFile(settings)}`)).toEqual({ ok: true, settings });
  });

  it('refuses JSON that is not a settings file', () => {
    for (const text of ['[]', 'null', '42', '"cognito-sync-settings"', JSON.stringify({ settings }), file({ format: 'other' })]) {
      expect(parseSettingsFile(text), text).toEqual({ ok: false, problem: { code: 'WRONG_FORMAT' } });
    }
  });

  it('refuses a file without a whole-number version, or whose settings are not an object', () => {
    for (const version of [undefined, '1', 1.5, null]) {
      expect(parseSettingsFile(file({ version, settings }))).toEqual({ ok: false, problem: { code: 'WRONG_FORMAT' } });
    }
    for (const value of [null, [settings], 'settings']) {
      expect(parseSettingsFile(file({ settings: value }))).toEqual({ ok: false, problem: { code: 'WRONG_FORMAT' } });
    }
  });

  it('refuses another version of the format, saying which', () => {
    expect(parseSettingsFile(file({ version: 2, settings }))).toEqual({ ok: false, problem: { code: 'UNSUPPORTED_VERSION', version: 2 } });
    expect(parseSettingsFile(file({ version: 0, settings }))).toEqual({ ok: false, problem: { code: 'UNSUPPORTED_VERSION', version: 0 } });
  });

  it('reports every invalid setting against its field, as the form does', () => {
    const result = parseSettingsFile(file({ settings: { ...settings, identityPoolId: 'eu-west-1:nope', domain: 'http://tenant.auth0.com' } }));
    expect(result).toEqual({
      ok: false,
      problem: { code: 'INVALID_SETTINGS', problems: { identityPoolId: 'errorPoolId', domain: 'errorInsecureDomain' } },
    });
  });

  it('requires the provider, client and pool, and fills the rest with defaults', () => {
    const minimal = { domain: settings.domain, clientId: settings.clientId, identityPoolId: settings.identityPoolId };
    expect(parseSettingsFile(file({ settings: minimal }))).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS, ...minimal } });
    expect(parseSettingsFile(file({ settings: {} }))).toMatchObject({
      ok: false,
      problem: { code: 'INVALID_SETTINGS', problems: { domain: 'errorRequired', clientId: 'errorRequired', identityPoolId: 'errorRequired' } },
    });
  });

  it('refuses values no one could have typed instead of replacing them with defaults', () => {
    const result = parseSettingsFile(file({ settings: { ...settings, tableName: ['t'], syncIntervalMinutes: true, audience: null } }));
    expect(result).toEqual({
      ok: false,
      problem: {
        code: 'INVALID_SETTINGS',
        problems: { tableName: 'errorFieldType', syncIntervalMinutes: 'errorFieldType', audience: 'errorFieldType' },
      },
    });
  });

  it('reads numbers and text as the form would', () => {
    const result = parseSettingsFile(file({ settings: { ...settings, syncIntervalMinutes: ' 45 ', clientId: 12345 } }));
    expect(result).toEqual({ ok: true, settings: { ...settings, syncIntervalMinutes: 45, clientId: '12345' } });
  });

  it('ignores a __proto__ key rather than taking settings from it', () => {
    const text = `{"format":"cognito-sync-settings","version":1,"settings":{"__proto__":{"domain":"evil.example.com"},"clientId":"a","identityPoolId":"${settings.identityPoolId}"}}`;
    expect(parseSettingsFile(text)).toMatchObject({ ok: false, problem: { code: 'INVALID_SETTINGS', problems: { domain: 'errorRequired' } } });
  });

  it('refuses a file over 64 KB, counted in bytes, before parsing it', () => {
    const padding = 'é'.repeat(SETTINGS_FILE_MAX_BYTES / 2); // two bytes each in UTF-8
    const text = file({ settings, padding });
    expect(text.length).toBeLessThan(SETTINGS_FILE_MAX_BYTES + 200);
    expect(parseSettingsFile(text)).toEqual({ ok: false, problem: { code: 'TOO_LARGE', bytes: new TextEncoder().encode(text).byteLength } });
    expect(checkSettingsFileSize(SETTINGS_FILE_MAX_BYTES)).toBeUndefined();
    expect(checkSettingsFileSize(SETTINGS_FILE_MAX_BYTES + 1)).toEqual({ code: 'TOO_LARGE', bytes: SETTINGS_FILE_MAX_BYTES + 1 });
  });

  it('survives deeply nested JSON within the size limit', () => {
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    expect(parseSettingsFile(deep).ok).toBe(false);
  });
});

describe('describing a refused settings file', () => {
  const translate = (key: string, substitutions?: string | string[]) => `${key}(${[substitutions ?? []].flat().join('|')})`;

  it('names each invalid field with its label and problem, in the form’s order', () => {
    const text = describeSettingsFileProblem(
      { code: 'INVALID_SETTINGS', problems: { identityPoolId: 'errorPoolId', domain: 'errorRequired' } },
      translate,
    );
    expect(text).toBe('settingsFileInvalid(fieldDomain(): errorRequired() fieldIdentityPoolId(): errorPoolId())');
  });

  it('says which version a file has', () => {
    expect(describeSettingsFileProblem({ code: 'UNSUPPORTED_VERSION', version: 3 }, translate)).toBe('settingsFileVersion(3)');
  });
});
