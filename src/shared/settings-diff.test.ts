import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { settingsChanges } from './settings-diff';

const saved: Settings = {
  ...DEFAULT_SETTINGS,
  domain: 'tenant.eu.auth0.com',
  clientId: 'AbC123',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
};

describe('what an import would change', () => {
  it('lists nothing for the same settings', () => {
    expect(settingsChanges(saved, { ...saved })).toEqual([]);
  });

  it('marks provider and endpoint changes, in form order', () => {
    const imported: Settings = {
      ...saved,
      domain: 'tenant.eu.auth0.com.example',
      datasetName: 'Other',
      dynamodbEndpoint: 'https://db.example.com',
      customEndpoints: true,
    };
    expect(settingsChanges(saved, imported)).toEqual([
      { field: 'domain', before: 'tenant.eu.auth0.com', after: 'tenant.eu.auth0.com.example', kind: 'provider' },
      { field: 'datasetName', before: 'MainDataset', after: 'Other', kind: 'other' },
      { field: 'dynamodbEndpoint', before: '', after: 'https://db.example.com', kind: 'endpoint' },
      { field: 'customEndpoints', before: 'false', after: 'true', kind: 'endpoint' },
    ]);
  });

  it('compares with the defaults when nothing is saved', () => {
    expect(settingsChanges(undefined, saved).map((change) => change.field)).toEqual(['domain', 'clientId', 'identityPoolId']);
  });
});
