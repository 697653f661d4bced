import { describe, expect, it } from 'vitest';
import {
  changesCredentials,
  cognitoSyncUnavailableIn,
  changesIdentity,
  DEFAULT_SETTINGS,
  endpointRegion,
  endpointsOf,
  identityFieldsChanged,
  issuerFromDomain,
  loginsKey,
  normalizeEndpoint,
  parseSettings,
  originsFor,
  regionOf,
  toForm,
  validateSettings,
  awsEndpointHost,
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
    // IPv6 loopback: not among the hosts the manifest can be granted over http, so refused with the same message.
    expect(issuerFromDomain('http://[::1]:4599')).toBeUndefined();
    expect(validateSettings({ ...toForm(valid), cognitoIdentityEndpoint: 'http://[::1]:4599/' })).toMatchObject({
      ok: false,
      problems: { cognitoIdentityEndpoint: 'errorEndpoint' },
    });
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
    const local = {
      ...valid,
      domain: 'http://127.0.0.1:4599',
      cognitoIdentityEndpoint: 'http://127.0.0.1:4599/ci',
      dynamodbEndpoint: 'http://127.0.0.1:4599/db',
    };
    expect(originsFor(local)).toEqual(['http://127.0.0.1/*']);
  });

  it("with Cognito Sync, asks for the region's Cognito Sync host instead of DynamoDB's", () => {
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

  it('refuses Cognito Sync for a pool in a region where AWS offers none, unless its endpoint is given', () => {
    const stockholm = { ...toForm(valid), identityPoolId: 'eu-north-1:12345678-90ab-cdef-1234-567890abcdef', syncBackend: 'cognitoSync' };
    expect(validateSettings(stockholm)).toEqual({ ok: false, problems: { syncBackend: 'errorCognitoSyncRegion' } });
    // DynamoDB is offered there; a Cognito Sync endpoint given by hand (the local stack) is the person's choice.
    expect(validateSettings({ ...stockholm, syncBackend: 'dynamodb' })).toMatchObject({ ok: true });
    expect(validateSettings({ ...stockholm, cognitoSyncEndpoint: 'http://127.0.0.1:4599', customEndpoints: 'true' })).toMatchObject({ ok: true });
    // AWS's own host for that region, typed by hand, does not exist either.
    expect(validateSettings({ ...stockholm, cognitoSyncEndpoint: 'https://cognito-sync.eu-north-1.amazonaws.com' })).toEqual({
      ok: false,
      problems: { syncBackend: 'errorCognitoSyncRegion' },
    });
    // Settings stored by an earlier version are still read; a sync with them names the region it lacks.
    const stored = validateSettings(stockholm, { release: false, stored: true });
    expect(stored).toMatchObject({ ok: true });
    if (stored.ok) expect(cognitoSyncUnavailableIn(stored.settings)).toBe('eu-north-1');
    expect(validateSettings({ ...stockholm, identityPoolId: valid.identityPoolId })).toMatchObject({ ok: true });
  });

  it('names the region without Cognito Sync only for settings that choose it there', () => {
    const stockholm = { ...valid, identityPoolId: 'eu-north-1:12345678-90ab-cdef-1234-567890abcdef', syncBackend: 'cognitoSync' as const };
    expect(cognitoSyncUnavailableIn(stockholm)).toBe('eu-north-1');
    expect(cognitoSyncUnavailableIn({ ...stockholm, cognitoSyncEndpoint: 'https://cognito-sync.eu-west-1.amazonaws.com' })).toBeUndefined();
    expect(cognitoSyncUnavailableIn({ ...stockholm, cognitoSyncEndpoint: 'http://127.0.0.1:4599' })).toBeUndefined();
    expect(cognitoSyncUnavailableIn({ ...stockholm, syncBackend: 'dynamodb' })).toBeUndefined();
    expect(cognitoSyncUnavailableIn({ ...valid, syncBackend: 'cognitoSync' })).toBeUndefined();
  });

  it('does not hold a Cognito Sync setup to the DynamoDB table name it hides, and keeps the default there', () => {
    const form = { ...toForm(valid), syncBackend: 'cognitoSync', tableName: 'x' };
    expect(validateSettings(form)).toMatchObject({ ok: true, settings: { syncBackend: 'cognitoSync', tableName: DEFAULT_SETTINGS.tableName } });
    expect(validateSettings({ ...form, tableName: 'OtherTable' })).toMatchObject({ ok: true, settings: { tableName: 'OtherTable' } });
    expect(validateSettings({ ...form, syncBackend: 'dynamodb' })).toEqual({ ok: false, problems: { tableName: 'errorTableName' } });
  });

  it('treats a new provider or pool as a new identity, a new dataset name not', () => {
    expect(changesIdentity(valid, { ...valid, datasetName: 'Other' })).toBe(false);
    expect(changesIdentity(valid, { ...valid, domain: 'other.auth0.com' })).toBe(true);
    expect(changesIdentity(valid, { ...valid, identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdee' })).toBe(true);
    expect(changesIdentity(undefined, valid)).toBe(false);
  });

  describe('the basic flow’s role ARN and account id', () => {
    const problemsOf = (fields: Partial<Settings>) => {
      const result = validateSettings({ ...toForm(valid), ...fields });
      return result.ok ? {} : result.problems;
    };

    it('are optional: empty means the enhanced flow', () => {
      expect(validateSettings(toForm(valid))).toMatchObject({ ok: true, settings: { roleArn: '', accountId: '' } });
    });

    it('accepts a role ARN of the pool’s partition, with a path, and a 12-digit account id', () => {
      const settings = { roleArn: 'arn:aws:iam::123456789012:role/service-role/Cognito_Auth_Role', accountId: '123456789012' };
      expect(validateSettings({ ...toForm(valid), ...settings })).toMatchObject({ ok: true, settings });
    });

    it('names the role ARN field for a malformed ARN', () => {
      for (const roleArn of [
        'Cognito_Auth_Role',
        'arn:aws:iam::12345:role/R',
        'arn:aws:iam::123456789012:user/R',
        'arn:aws:sts::123456789012:role/R',
      ]) {
        expect(problemsOf({ roleArn }), roleArn).toEqual({ roleArn: 'errorRoleArn' });
      }
    });

    it('names the role ARN field for an ARN of another partition than the pool region’s', () => {
      expect(problemsOf({ roleArn: 'arn:aws-cn:iam::123456789012:role/R' })).toEqual({ roleArn: 'errorRoleArnPartition' });
      const china = { identityPoolId: 'cn-north-1:12345678-90ab-cdef-1234-567890abcdef' };
      expect(problemsOf({ ...china, roleArn: 'arn:aws:iam::123456789012:role/R' })).toEqual({ roleArn: 'errorRoleArnPartition' });
      expect(problemsOf({ ...china, roleArn: 'arn:aws-cn:iam::123456789012:role/R' })).toEqual({});
    });

    it('names the account id field for anything but 12 digits', () => {
      for (const accountId of ['12345678901', '1234567890123', '1234-5678-9012', 'abcdefghijkl']) {
        expect(problemsOf({ accountId }), accountId).toEqual({ accountId: 'errorAccountId' });
      }
    });

    it('asks for the STS host only with a role ARN', () => {
      const basic = { ...valid, roleArn: 'arn:aws:iam::123456789012:role/R' };
      expect(originsFor(basic)).toContain('https://sts.eu-west-1.amazonaws.com/*');
      expect(originsFor(valid).some((origin) => origin.includes('sts.'))).toBe(false);
    });

    it('makes the credentials stale when the role changes, without ending the sign-in', () => {
      const basic = { ...valid, roleArn: 'arn:aws:iam::123456789012:role/R' };
      expect(changesIdentity(valid, basic)).toBe(false);
      expect(changesCredentials(valid, basic)).toBe(true);
      expect(changesCredentials(basic, { ...basic, datasetName: 'Other' })).toBe(false);
    });
  });

  it('treats a change of any endpoint as a new identity', () => {
    expect(changesIdentity(valid, { ...valid, dynamodbEndpoint: 'https://dynamodb.eu-west-1.amazonaws.com' })).toBe(true);
    expect(changesIdentity(valid, { ...valid, cognitoIdentityEndpoint: 'https://cognito-identity.eu-west-1.amazonaws.com' })).toBe(true);
    expect(changesIdentity(valid, { ...valid, customEndpoints: true })).toBe(false);
  });

  it('names the fields that made the sign-in another one, in the form’s order', () => {
    const after = { ...valid, cognitoSyncEndpoint: 'https://cognito-sync.eu-west-1.amazonaws.com', clientId: 'Other1', datasetName: 'Other' };
    expect(identityFieldsChanged(valid, after)).toEqual(['clientId', 'cognitoSyncEndpoint']);
    expect(identityFieldsChanged(undefined, after)).toEqual([]);
  });
});

describe('endpoint overrides in a release build', () => {
  const form = (change: Partial<Record<keyof Settings, string>>) => ({ ...toForm(valid), ...change });

  it("accepts AWS's own endpoint of each field's service in the pool's region; loopback only with Custom endpoints", () => {
    const own = form({
      cognitoIdentityEndpoint: 'https://cognito-identity.eu-west-1.amazonaws.com',
      dynamodbEndpoint: 'https://dynamodb.eu-west-1.amazonaws.com/',
    });
    expect(validateSettings(own, { release: true }).ok).toBe(true);
    const local = form({ cognitoIdentityEndpoint: 'http://127.0.0.1:4599/cognito-identity', dynamodbEndpoint: 'http://localhost:4599/dynamodb' });
    // Whatever listens on this computer's port would get the ID token: a server as much as a remote one.
    expect(validateSettings(local, { release: true })).toEqual({
      ok: false,
      problems: { cognitoIdentityEndpoint: 'errorEndpointNotAws', dynamodbEndpoint: 'errorEndpointNotAws' },
    });
    expect(validateSettings({ ...local, customEndpoints: 'true' }, { release: true }).ok).toBe(true);
  });

  it('refuses a look-alike host, naming the field', () => {
    const lookalike = form({
      cognitoIdentityEndpoint: 'https://cognito-identity.eu-west-1.amazonaws.com.example',
      dynamodbEndpoint: 'https://dynamodb.eu-west-1.amazonaws.com',
    });
    expect(validateSettings(lookalike, { release: true })).toEqual({ ok: false, problems: { cognitoIdentityEndpoint: 'errorEndpointNotAws' } });
  });

  it("refuses another region's endpoint, another service's, a path, a port or credentials in the URL", () => {
    for (const dynamodbEndpoint of [
      'https://dynamodb.us-east-1.amazonaws.com',
      'https://cognito-identity.eu-west-1.amazonaws.com',
      'https://dynamodb.eu-west-1.amazonaws.com/proxy',
      'https://dynamodb.eu-west-1.amazonaws.com:8443',
      'https://user:pw@dynamodb.eu-west-1.amazonaws.com',
      'https://evil.example/dynamodb.eu-west-1.amazonaws.com',
    ]) {
      expect(validateSettings(form({ dynamodbEndpoint }), { release: true }), dynamodbEndpoint).toEqual({
        ok: false,
        problems: { dynamodbEndpoint: 'errorEndpointNotAws' },
      });
    }
  });

  it('is the default: callers that do not say which build validate as a release does', () => {
    expect(validateSettings(form({ dynamodbEndpoint: 'https://db.example.com' }))).toMatchObject({
      ok: false,
      problems: { dynamodbEndpoint: 'errorEndpointNotAws' },
    });
  });

  it('accepts any https endpoint with "Custom endpoints" on, or in a development build', () => {
    const custom = form({ dynamodbEndpoint: 'https://db.example.com', customEndpoints: 'true' });
    expect(validateSettings(custom, { release: true })).toMatchObject({
      ok: true,
      settings: { dynamodbEndpoint: 'https://db.example.com', customEndpoints: true },
    });
    expect(validateSettings(form({ dynamodbEndpoint: 'https://db.example.com' }), { release: false }).ok).toBe(true);
  });

  it('uses amazonaws.com.cn in the China regions', () => {
    expect(awsEndpointHost('dynamodb', 'cn-north-1')).toBe('dynamodb.cn-north-1.amazonaws.com.cn');
    const china = {
      ...toForm(valid),
      identityPoolId: 'cn-north-1:12345678-90ab-cdef-1234-567890abcdef',
      dynamodbEndpoint: 'https://dynamodb.cn-north-1.amazonaws.com.cn',
    };
    expect(validateSettings(china, { release: true }).ok).toBe(true);
    expect(validateSettings({ ...china, dynamodbEndpoint: 'https://dynamodb.cn-north-1.amazonaws.com' }, { release: true }).ok).toBe(false);
  });

  it('does not call AWS’s own endpoint "not AWS’s" while the pool ID is malformed', () => {
    const malformed = form({ identityPoolId: 'arn:aws:cognito-identity:eu-west-1:123456789012:identitypool/x' });
    expect(validateSettings({ ...malformed, dynamodbEndpoint: 'https://dynamodb.eu-west-1.amazonaws.com' }, { release: true })).toEqual({
      ok: false,
      problems: { identityPoolId: 'errorPoolId' },
    });
    expect(validateSettings({ ...malformed, dynamodbEndpoint: 'https://dynamodb.eu-west-1.example.com' }, { release: true })).toMatchObject({
      problems: { identityPoolId: 'errorPoolId', dynamodbEndpoint: 'errorEndpointNotAws' },
    });
  });

  it('reaches, with the endpoint fields left empty, the hosts of the pool region’s own partition', () => {
    const uuid = '12345678-90ab-cdef-1234-567890abcdef';
    const china = { ...valid, identityPoolId: `cn-north-1:${uuid}`, roleArn: 'arn:aws-cn:iam::123456789012:role/R' };
    expect(endpointsOf(china)).toMatchObject({
      cognitoIdentity: 'https://cognito-identity.cn-north-1.amazonaws.com.cn',
      dynamodb: 'https://dynamodb.cn-north-1.amazonaws.com.cn',
      sts: 'https://sts.cn-north-1.amazonaws.com.cn',
      cognitoSync: 'https://cognito-sync.cn-north-1.amazonaws.com.cn',
    });
    // The permission asked for is the hosts the requests go to.
    expect(originsFor(china)).toEqual([
      'https://tenant.eu.auth0.com/*',
      'https://cognito-identity.cn-north-1.amazonaws.com.cn/*',
      'https://dynamodb.cn-north-1.amazonaws.com.cn/*',
      'https://sts.cn-north-1.amazonaws.com.cn/*',
    ]);
    // The AWS European Sovereign Cloud: its region names start with four letters, its hosts end in amazonaws.eu.
    const sovereign = { ...toForm(valid), identityPoolId: `eusc-de-east-1:${uuid}`, roleArn: 'arn:aws-eusc:iam::123456789012:role/R' };
    const accepted = validateSettings(sovereign, { release: true });
    expect(accepted.ok).toBe(true);
    if (!accepted.ok) return;
    expect(endpointsOf(accepted.settings).dynamodb).toBe('https://dynamodb.eusc-de-east-1.amazonaws.eu');
    expect(validateSettings({ ...sovereign, dynamodbEndpoint: 'https://dynamodb.eusc-de-east-1.amazonaws.eu' }, { release: true }).ok).toBe(true);
    expect(validateSettings({ ...sovereign, roleArn: 'arn:aws:iam::123456789012:role/R' }, { release: true })).toMatchObject({
      ok: false,
      problems: { roleArn: 'errorRoleArnPartition' },
    });
    expect(endpointRegion('https://dynamodb.eusc-de-east-1.amazonaws.eu')).toBe('eusc-de-east-1');
  });
});

describe("an endpoint of another region than the identity pool's", () => {
  const form = (change: Partial<Record<keyof Settings, string>>) => ({ ...toForm(valid), ...change });

  it('is a field error on each endpoint field, in a development build and with "Custom endpoints" on too', () => {
    const fields = ['cognitoIdentityEndpoint', 'dynamodbEndpoint', 'stsEndpoint', 'cognitoSyncEndpoint'] as const;
    const other = {
      cognitoIdentityEndpoint: 'https://cognito-identity.us-east-1.amazonaws.com',
      dynamodbEndpoint: 'https://dynamodb.us-east-1.amazonaws.com',
      stsEndpoint: 'https://sts.us-east-1.amazonaws.com',
      cognitoSyncEndpoint: 'https://cognito-sync.us-east-1.amazonaws.com',
    };
    for (const field of fields) {
      const expected = { ok: false, problems: { [field]: 'errorEndpointRegion' } };
      expect(validateSettings(form({ [field]: other[field] }), { release: false }), field).toEqual(expected);
      expect(validateSettings(form({ [field]: other[field], customEndpoints: 'true' }), { release: true }), field).toEqual(expected);
    }
  });

  it('reads the region of FIPS, VPC and dual-stack hosts; loopback, global and non-AWS hosts are not judged', () => {
    for (const cognitoIdentityEndpoint of [
      'https://cognito-identity-fips.us-east-1.amazonaws.com',
      'https://vpce-0abc-123.cognito-identity.us-east-1.vpce.amazonaws.com',
      'https://dynamodb.us-east-1.api.aws',
    ]) {
      expect(validateSettings(form({ cognitoIdentityEndpoint }), { release: false }).ok, cognitoIdentityEndpoint).toBe(false);
    }
    for (const stsEndpoint of [
      'https://sts.amazonaws.com',
      'http://127.0.0.1:4599/sts',
      'https://sts.example.com',
      'https://sts.eu-west-1.amazonaws.com',
    ]) {
      expect(validateSettings(form({ stsEndpoint }), { release: false }).ok, stsEndpoint).toBe(true);
    }
  });

  it('still reads back settings stored before the check existed', () => {
    const stored = { ...valid, dynamodbEndpoint: 'https://dynamodb.us-east-1.amazonaws.com' };
    expect(parseSettings(stored)).toEqual(stored);
  });
});
