import { describe, expect, it } from 'vitest';
import {
  changesIdentity,
  DEFAULT_SETTINGS,
  endpointsOf,
  issuerFromDomain,
  loginsKey,
  normalizeEndpoint,
  originsFor,
  regionOf,
  toForm,
  validateSettings,
  type Settings,
} from './settings';

const valid: Settings = {
  ...DEFAULT_SETTINGS,
  domain: 'tenant.eu.auth0.com',
  clientId: 'AbC123',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
};

describe('settings', () => {
  it('accepts a complete Auth0 configuration and keeps defaults', () => {
    expect(validateSettings(toForm(valid))).toEqual({ ok: true, settings: valid });
  });

  it('reports every bad field at once', () => {
    const result = validateSettings({
      ...toForm(valid),
      domain: 'not a host',
      identityPoolId: 'eu-west-1:XYZ',
      datasetName: 'has space',
      syncIntervalMinutes: '0',
      cognitoIdentityEndpoint: 'ftp://x',
    });
    expect(result).toEqual({
      ok: false,
      problems: {
        domain: 'errorDomain',
        identityPoolId: 'errorPoolId',
        datasetName: 'errorDatasetName',
        syncIntervalMinutes: 'errorSyncInterval',
        cognitoIdentityEndpoint: 'errorEndpoint',
      },
    });
  });

  it('requires the provider, client and pool', () => {
    const result = validateSettings({});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toMatchObject({ domain: 'errorRequired', clientId: 'errorRequired', identityPoolId: 'errorRequired' });
    }
  });

  it('allows http:// only for loopback addresses', () => {
    expect(issuerFromDomain('http://127.0.0.1:4599')?.href).toBe('http://127.0.0.1:4599/');
    expect(issuerFromDomain('http://localhost:8080/')?.href).toBe('http://localhost:8080/');
    expect(issuerFromDomain('http://tenant.auth0.com')).toBeUndefined();
    expect(validateSettings({ ...toForm(valid), domain: 'http://tenant.auth0.com' })).toMatchObject({
      ok: false,
      problems: { domain: 'errorInsecureDomain' },
    });
  });

  it('derives Auth0’s issuer, with its trailing slash, from a bare domain', () => {
    expect(issuerFromDomain('tenant.auth0.com')?.href).toBe('https://tenant.auth0.com/');
    expect(issuerFromDomain('https://tenant.auth0.com')?.href).toBe('https://tenant.auth0.com/');
    // Other providers' issuers keep their path as typed.
    expect(issuerFromDomain('https://id.example.com/realms/main')?.href).toBe('https://id.example.com/realms/main');
  });

  it('names the provider in Logins without scheme or trailing slash', () => {
    expect(loginsKey('https://tenant.auth0.com/')).toBe('tenant.auth0.com');
    expect(loginsKey('http://127.0.0.1:4599/')).toBe('127.0.0.1:4599');
  });

  it('takes the region from the pool id and AWS endpoints from the region', () => {
    expect(regionOf(valid.identityPoolId)).toBe('eu-west-1');
    expect(endpointsOf(valid)).toMatchObject({
      cognitoIdentity: 'https://cognito-identity.eu-west-1.amazonaws.com',
      dynamodb: 'https://dynamodb.eu-west-1.amazonaws.com',
    });
  });

  it('normalises an endpoint so that one server written two ways compares equal', () => {
    const region = endpointsOf(valid).dynamodb;
    expect(normalizeEndpoint(region)).toBe('https://dynamodb.eu-west-1.amazonaws.com/');
    for (const same of ['https://dynamodb.eu-west-1.amazonaws.com/', ' HTTPS://DynamoDB.eu-west-1.amazonaws.com:443 ']) {
      expect(normalizeEndpoint(same)).toBe(normalizeEndpoint(region));
    }
    expect(normalizeEndpoint('http://127.0.0.1:4599/db')).not.toBe(normalizeEndpoint('http://127.0.0.1:4600/db'));
    expect(normalizeEndpoint('not a url')).toBe('not a url');
  });

  it('asks for exactly the hosts it talks to', () => {
    expect(originsFor(valid)).toEqual([
      'https://tenant.eu.auth0.com/*',
      'https://cognito-identity.eu-west-1.amazonaws.com/*',
      'https://dynamodb.eu-west-1.amazonaws.com/*',
    ]);
    const local = { ...valid, domain: 'http://127.0.0.1:4599', cognitoIdentityEndpoint: 'http://127.0.0.1:4599/ci', dynamodbEndpoint: 'http://127.0.0.1:4599/db' };
    expect(originsFor(local)).toEqual(['http://127.0.0.1/*']);
  });

  it('with Cognito Sync, asks for the region\'s Cognito Sync host instead of DynamoDB\'s', () => {
    expect(originsFor({ ...valid, syncBackend: 'cognitoSync' })).toEqual([
      'https://tenant.eu.auth0.com/*',
      'https://cognito-identity.eu-west-1.amazonaws.com/*',
      'https://cognito-sync.eu-west-1.amazonaws.com/*',
    ]);
    expect(endpointsOf({ ...valid, cognitoSyncEndpoint: 'https://sync.example.com/' }).cognitoSync).toBe('https://sync.example.com/');
  });

  it('defaults to DynamoDB, and refuses an unknown backend or a bad Cognito Sync endpoint', () => {
    expect(validateSettings({ ...toForm(valid), syncBackend: undefined })).toMatchObject({ ok: true, settings: { syncBackend: 'dynamodb' } });
    expect(validateSettings({ ...toForm(valid), syncBackend: 'cognitoSync' })).toMatchObject({ ok: true, settings: { syncBackend: 'cognitoSync' } });
    expect(validateSettings({ ...toForm(valid), syncBackend: 'appsync', cognitoSyncEndpoint: 'http://sync.example.com' })).toEqual({
      ok: false,
      problems: { syncBackend: 'errorSyncBackend', cognitoSyncEndpoint: 'errorEndpoint' },
    });
  });

  it('treats a new provider or pool as a new identity, a new dataset name not', () => {
    expect(changesIdentity(valid, { ...valid, datasetName: 'Other' })).toBe(false);
    expect(changesIdentity(valid, { ...valid, domain: 'other.auth0.com' })).toBe(true);
    expect(changesIdentity(valid, { ...valid, identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdee' })).toBe(true);
    expect(changesIdentity(undefined, valid)).toBe(false);
  });
});
