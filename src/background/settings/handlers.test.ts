import { describe, expect, it } from 'vitest';
import { authContext, newProfile } from '../../../test/support/auth-context';
import { DEFAULT_SETTINGS, toForm, type Settings } from '../../shared/settings';
import { settingsHandlers } from './handlers';

const auth0: Settings = {
  ...DEFAULT_SETTINGS,
  domain: 'tenant.eu.auth0.com',
  clientId: 'AbC123',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
};

function handlersWithPermissions() {
  const removed: string[][] = [];
  const signOuts: number[] = [];
  const forgotClients: number[] = [];
  const base = authContext(newProfile());
  const ctx = {
    ...base,
    aws: { ...base.aws, forget: () => void forgotClients.push(1) },
    permissions: {
      remove: async ({ origins }: { origins: string[] }) => {
        removed.push(origins);
        return true;
      },
      contains: async () => true,
    },
  };
  return { handlers: settingsHandlers(ctx, async () => void signOuts.push(1)), removed, signOuts, forgotClients, ctx };
}

describe('saving settings', () => {
  it('names refused fields by their labels and saves nothing', async () => {
    const { handlers } = handlersWithPermissions();
    const error = await handlers.saveSettings({ ...toForm(auth0), identityPoolId: 'nope', datasetName: 'no spaces' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_SETTINGS', message: 'These settings are not valid: Identity pool ID, Dataset name.' });
    expect((await handlers.getOptions()).settings).toBeUndefined();
  });

  it('signs out and gives back the old provider’s host access when the provider changes', async () => {
    const { handlers, removed, signOuts } = handlersWithPermissions();
    await handlers.saveSettings(toForm(auth0));
    expect(removed).toEqual([]);
    const result = await handlers.saveSettings({ ...toForm(auth0), domain: 'other.eu.auth0.com' });
    expect(result.signedOut).toBe(true);
    expect(signOuts).toHaveLength(1);
    // The AWS hosts are the same region's: still needed, so kept.
    expect(removed).toEqual([['https://tenant.eu.auth0.com/*']]);
  });

  it('keeps the sign-in and every host for a new dataset name', async () => {
    const { handlers, removed, signOuts } = handlersWithPermissions();
    await handlers.saveSettings(toForm(auth0));
    expect(await handlers.saveSettings({ ...toForm(auth0), datasetName: 'Notes' })).toMatchObject({ signedOut: false });
    expect(removed).toEqual([]);
    expect(signOuts).toHaveLength(0);
  });

  it('keeps the sign-in but drops the AWS credentials when the role ARN changes, and gives back STS when it goes', async () => {
    const { handlers, removed, signOuts, forgotClients, ctx } = handlersWithPermissions();
    const basic = { ...toForm(auth0), roleArn: 'arn:aws:iam::123456789012:role/Cognito_Auth_Role' };
    await handlers.saveSettings(basic);
    const record = { identityPoolId: auth0.identityPoolId, provider: 'tenant.eu.auth0.com', sub: 's', identityId: 'eu-west-1:x' };
    await ctx.items.awsCredentials.set({
      ...record,
      accessKeyId: 'A',
      secretAccessKey: 'S',
      sessionToken: 'T',
      obtainedAt: 1,
      expiresAt: Date.now() + 3600_000,
    });
    expect(await handlers.saveSettings({ ...basic, roleArn: 'arn:aws:iam::123456789012:role/Other_Role' })).toMatchObject({ signedOut: false });
    expect(await ctx.items.awsCredentials.get()).toBeUndefined();
    // The signed clients kept the old role's credentials: they are made again.
    expect(forgotClients.length).toBeGreaterThan(0);
    expect(signOuts).toHaveLength(0);
    await handlers.saveSettings(toForm(auth0));
    expect(removed).toEqual([['https://sts.eu-west-1.amazonaws.com/*']]);
  });

  it('gives back every host on reset', async () => {
    const { handlers, removed } = handlersWithPermissions();
    await handlers.saveSettings(toForm(auth0));
    await handlers.resetSettings();
    expect(removed).toEqual([
      ['https://tenant.eu.auth0.com/*', 'https://cognito-identity.eu-west-1.amazonaws.com/*', 'https://dynamodb.eu-west-1.amazonaws.com/*'],
    ]);
    expect((await handlers.getOptions()).settings).toBeUndefined();
  });

  it('in a release build refuses a non-AWS endpoint unless Custom endpoints is on, naming the field', async () => {
    const { handlers } = handlersWithPermissions();
    const diverted = { ...toForm(auth0), dynamodbEndpoint: 'https://dynamodb.eu-west-1.amazonaws.com.example' };
    const error = await handlers.saveSettings(diverted).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_SETTINGS', message: 'These settings are not valid: DynamoDB endpoint.' });
    expect((await handlers.getOptions()).settings).toBeUndefined();
    const saved = await handlers.saveSettings({ ...diverted, customEndpoints: 'true' });
    expect(saved.settings).toMatchObject({ dynamodbEndpoint: 'https://dynamodb.eu-west-1.amazonaws.com.example', customEndpoints: true });
  });

  it('in a development build accepts any https endpoint, as before', async () => {
    const ctx = { ...authContext(newProfile()), devDefaults: auth0 };
    const handlers = settingsHandlers(ctx, async () => undefined);
    const saved = await handlers.saveSettings({ ...toForm(auth0), dynamodbEndpoint: 'https://db.example.com' });
    expect(saved.settings.dynamodbEndpoint).toBe('https://db.example.com');
  });

  it('signs out when an endpoint changes, keeping the dataset', async () => {
    const { handlers, signOuts } = handlersWithPermissions();
    await handlers.saveSettings(toForm(auth0));
    const result = await handlers.saveSettings({ ...toForm(auth0), dynamodbEndpoint: 'https://dynamodb.eu-west-1.amazonaws.com' });
    expect(result.signedOut).toBe(true);
    expect(signOuts).toHaveLength(1);
  });
});
