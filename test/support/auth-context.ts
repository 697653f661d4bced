// A worker Context for Node integration tests: memory storage areas (a "browser profile"), real fetch,
// an identity API that fills the stack's login form, alarms that the test fires itself.
import { createCognitoSyncClient } from '../../src/background/sync/cognito-sync-remote';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { DEV_REDIRECT_URLS } from '../../scripts/extension-ids.mjs';
import type { Stack } from '../../stack/index';
import { createContext, type AlarmsLike, type Context, type IdentityLike, type WebAuthFlowDetails } from '../../src/background/platform/context';
import { createDynamoClient } from '../../src/background/sync/dynamodb-remote';
import { inProcessLocks } from '../../src/background/platform/locks';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { storageItems } from '../../src/shared/storage';
import { createMemoryArea, type StorageAreaLike } from '../../src/shared/storage-item';
import { CookieJar, followSilently, loginThroughForm } from './login-driver';

/** What survives a worker restart: storage and cookies. A browser restart keeps local and cookies only. */
export interface Profile {
  local: StorageAreaLike;
  session: StorageAreaLike;
  jar: CookieJar;
}

export function newProfile(): Profile {
  return { local: createMemoryArea(), session: createMemoryArea(), jar: new CookieJar() };
}

/** The browser closed and opened again: storage.session is gone; the provider's cookie stays. */
export function afterBrowserRestart(profile: Profile): Profile {
  return { ...profile, session: createMemoryArea() };
}

/** Chrome's wording when the person closes the window, or a silent flow needs them. */
export const CLOSED_WINDOW = 'The user did not approve access.';
export const INTERACTION_REQUIRED = 'User interaction required.';

export type Flow = (details: WebAuthFlowDetails, jar: CookieJar) => Promise<string | undefined>;

export interface FakeIdentity extends IdentityLike {
  calls: WebAuthFlowDetails[];
  /** Replaces how the next interactive flows answer, until reset to undefined. */
  interactive: Flow | undefined;
}

export function signInAs(username: string, password = 'password'): Flow {
  return (details, jar) => loginThroughForm(details.url, { username, password, jar });
}

export function fakeIdentity(jar: CookieJar, interactive: Flow = signInAs('alice')): FakeIdentity {
  const identity: FakeIdentity = {
    calls: [],
    interactive,
    getRedirectURL: () => DEV_REDIRECT_URLS.chrome,
    async launchWebAuthFlow(details) {
      identity.calls.push(details);
      if (details.interactive) {
        if (!identity.interactive) throw new Error(CLOSED_WINDOW);
        return identity.interactive(details, jar);
      }
      // A silent flow that would need a page the person sees fails as Chrome fails it.
      return silently(details.url, jar).catch(() => {
        throw new Error(INTERACTION_REQUIRED);
      });
    },
  };
  return identity;
}

/** Silent authorization (prompt=none) or a logout, which ends at its post_logout_redirect_uri. */
function silently(url: string, jar: CookieJar): Promise<string> {
  const logoutTarget = new URL(url).searchParams.get('post_logout_redirect_uri');
  if (logoutTarget === null) return followSilently(url, jar);
  // No form may show on the way: credentials nobody has make the driver fail if one does.
  return loginThroughForm(url, { username: '', password: '', jar, redirectPrefix: logoutTarget });
}

/** Chrome's answer to a flow launched while another of the extension's runs. */
export const ONE_FLOW_AT_A_TIME = 'Only one web auth flow is allowed at a time.';

/**
 * Chrome's identity API: one web auth flow per extension at a time, with a window or without; another launched
 * meanwhile is refused (src/background/auth/web-auth-flows.ts), and kept in `refused`. Changes `identity` itself,
 * so that a test context's `identity` is still the one the worker calls.
 */
export function oneFlowAtATime<I extends IdentityLike>(identity: I): I & { refused: WebAuthFlowDetails[] } {
  const launch = identity.launchWebAuthFlow.bind(identity);
  const refused: WebAuthFlowDetails[] = [];
  let running = 0;
  return Object.assign(identity, {
    refused,
    async launchWebAuthFlow(details: WebAuthFlowDetails): Promise<string | undefined> {
      if (running > 0) {
        refused.push(details);
        throw new Error(ONE_FLOW_AT_A_TIME);
      }
      running += 1;
      try {
        return await launch(details);
      } finally {
        running -= 1;
      }
    },
  });
}

export class FakeAlarms implements AlarmsLike {
  readonly scheduled = new Map<string, number>();
  create(name: string, info: { when: number }): void {
    this.scheduled.set(name, info.when);
  }
  async clear(name: string): Promise<boolean> {
    return this.scheduled.delete(name);
  }
}

export interface TestContext extends Context {
  identity: FakeIdentity;
  alarms: FakeAlarms;
}

/** One simulated worker over `profile`: its own locks, AWS clients and sign-in attempt, as a real worker's. */
export function authContext(profile: Profile, options: { fetch?: typeof fetch; identity?: FakeIdentity; now?: () => number } = {}): TestContext {
  return createContext({
    items: storageItems({ local: profile.local, session: profile.session }),
    alarms: new FakeAlarms(),
    cognitoIdentity: (config) => new CognitoIdentityClient(config),
    dynamodb: (config) => createDynamoClient(config),
    cognitoSync: (config) => createCognitoSyncClient(config),
    identity: options.identity ?? fakeIdentity(profile.jar),
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    now: options.now ?? (() => Date.now()),
    devDefaults: undefined,
    version: 'test',
    locks: inProcessLocks(),
  });
}

export function stackSettings(stack: Stack): Settings {
  return {
    ...DEFAULT_SETTINGS,
    domain: stack.url,
    clientId: stack.config.clientId,
    identityPoolId: stack.config.identityPoolId,
    tableName: stack.config.tableName,
    cognitoIdentityEndpoint: stack.config.endpoints.cognitoIdentity,
    dynamodbEndpoint: stack.config.endpoints.dynamodb,
    cognitoSyncEndpoint: stack.config.endpoints.cognitoSync,
    // The stack is not AWS: a release build's validation takes its endpoints only as custom ones.
    customEndpoints: true,
  };
}

/** Requests per `${service}.${operation}` since the last reset, zero for those never seen. */
export function requests(stack: Stack): (key: string) => number {
  const counters = stack.counters();
  return (key) => counters[key]?.requests ?? 0;
}

/** Every value stored in an area, as one string, to look for secrets in. */
export async function dump(area: StorageAreaLike): Promise<string> {
  return JSON.stringify(await area.get(null));
}
