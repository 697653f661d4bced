// Bench part: Cognito Identity requests per cold start, for the extension's credentials path (the
// worker's own modules, with Node storage areas) and for the AWS SDK's `fromCognitoIdentityPool`, with
// and without `userIdentifier`, against the same local stack in the same run. Counted at the stack.
import { fromCognitoIdentityPool } from '@aws-sdk/credential-provider-cognito-identity';
import { startStack, type Stack } from '../stack/index';
import { resumeSession } from '../src/background/lifecycle/resume';
import { awsIdentity } from '../src/background/credentials';
import { createHandlers } from '../src/background/worker';
import { loginsKey } from '../src/shared/settings';
import { afterBrowserRestart, authContext, newProfile, stackSettings } from '../test/support/auth-context';
import { idTokenAtStack } from '../test/support/stack-identity';

export interface PeerRow {
  case: string;
  extension: number;
  sdk: number;
  sdkWithUserIdentifier: number;
}

/** Cognito Identity requests (GetId, GetCredentialsForIdentity...) the stack served during `action`. */
async function cognitoRequests(stack: Stack, action: () => Promise<unknown>): Promise<number> {
  const read = async (): Promise<number> => {
    // The stack's admin API, as any client of the stack would read it.
    const response = await fetch(`${stack.url}/_stack/counters`);
    const counters = (await response.json()) as Record<string, { requests?: unknown }>;
    return Object.entries(counters)
      .filter(([key]) => key.startsWith('cognito-identity.'))
      .reduce((sum, [, counter]) => sum + (typeof counter.requests === 'number' ? counter.requests : 0), 0);
  };
  const before = await read();
  await action();
  return (await read()) - before;
}

/** The SDK's storage interface, in memory; one instance lives through all the starts, as localStorage would. */
function memoryStorage(): { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void } {
  const data = new Map<string, string>();
  return {
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

export async function runPeerBench(): Promise<PeerRow[]> {
  const stack = await startStack({ port: 0, memory: true });
  try {
    const settings = stackSettings(stack);

    // The extension: a new browser profile signs in; then the worker starts again (storage kept); then the
    // browser starts again (storage.session gone, the provider's session kept) and resumes silently.
    const profile = newProfile();
    const first = authContext(profile);
    await first.items.settings.set(settings);
    const extension: number[] = [];
    extension.push(await cognitoRequests(stack, () => createHandlers(first).signIn()));
    extension.push(await cognitoRequests(stack, async () => (await awsIdentity(authContext(profile))).credentials()));
    const restarted = afterBrowserRestart(profile);
    extension.push(await cognitoRequests(stack, () => resumeSession(authContext(restarted))));

    // The SDK: a new provider per start (a cold worker has none in memory), with the same ID token.
    const idToken = await idTokenAtStack(stack, 'alice');
    const storage = memoryStorage();
    const sdkStart = (userIdentifier?: string) => () =>
      fromCognitoIdentityPool({
        clientConfig: { region: 'us-east-1', endpoint: stack.config.endpoints.cognitoIdentity },
        identityPoolId: stack.config.identityPoolId,
        logins: { [loginsKey(stack.config.issuer)]: idToken },
        ...(userIdentifier ? { userIdentifier, cache: storage } : {}),
      })();
    const sdk: number[] = [];
    const sdkWithId: number[] = [];
    for (let start = 0; start < 3; start++) {
      sdk.push(await cognitoRequests(stack, sdkStart()));
      sdkWithId.push(await cognitoRequests(stack, sdkStart('alice')));
    }

    const cases = ['first start on a new browser profile', 'worker stopped, started again', 'browser restarted (session storage cleared)'];
    return cases.map((label, i) => ({
      case: label,
      extension: extension[i] ?? Number.NaN,
      sdk: sdk[i] ?? Number.NaN,
      sdkWithUserIdentifier: sdkWithId[i] ?? Number.NaN,
    }));
  } finally {
    await stack.close();
  }
}
