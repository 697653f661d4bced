// The storage audit both browsers' sign-in tests make: every secret is in storage.session, none elsewhere.
import { expect } from 'vitest';
import type { ExtensionGlobal } from './extension-global';

export interface StoredAreas {
  session: Record<string, unknown>;
  local: string;
  sync: string;
}

/** Evaluated inside an extension page (Playwright and Puppeteer both take the function as is). */
export async function readStorage(): Promise<StoredAreas> {
  const { storage } = (globalThis as ExtensionGlobal).chrome;
  return {
    session: await storage.session.get(null),
    local: JSON.stringify(await storage.local.get(null)),
    sync: JSON.stringify(await storage.sync.get(null)),
  };
}

export function expectSecretsOnlyInSession(stored: StoredAreas): void {
  const tokens = stored.session['authTokens'] as { idToken: string; refreshToken?: string };
  // No access token is kept at all: nothing calls an API with it.
  expect(Object.keys(tokens)).not.toContain('accessToken');
  const credentials = stored.session['awsCredentials'] as { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  const secrets = [tokens.idToken, tokens.refreshToken, credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken];
  expect(secrets.every((secret) => typeof secret === 'string' && secret.length > 0)).toBe(true);
  for (const secret of secrets) {
    expect(stored.local).not.toContain(secret);
    expect(stored.sync).not.toContain(secret);
  }
}
