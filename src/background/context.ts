// Everything the worker's modules reach outside themselves, passed in so tests can stand in for it.
import type { Settings } from '../shared/settings';
import type { StorageItems } from '../shared/storage';

export interface WebAuthFlowDetails {
  url: string;
  interactive: boolean;
}

export interface IdentityLike {
  getRedirectURL(path?: string): string;
  launchWebAuthFlow(details: WebAuthFlowDetails): Promise<string | undefined>;
}

export interface Context {
  items: StorageItems;
  identity: IdentityLike;
  fetch: typeof fetch;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Settings the development build offers for the local stack; undefined in a release build. */
  devDefaults: Settings | undefined;
  version: string;
}
