// Identity ids of the identity pool: one per (pool, provider, subject), stable across restarts.
import { createHash } from 'node:crypto';
import { isObject } from '../http';
import { jsonFile } from '../json-file';

export interface Identity {
  identityId: string;
  poolId: string;
  /** Logins key (provider name) → subject. */
  logins: Record<string, string>;
}

export interface IdentityStore {
  /** The identity of a login, created on first sight. */
  identityFor(poolId: string, providerName: string, sub: string): Promise<Identity>;
  find(identityId: string): Identity | undefined;
}

function isIdentity(value: unknown): value is Identity {
  return (
    isObject(value) &&
    typeof value['identityId'] === 'string' &&
    typeof value['poolId'] === 'string' &&
    isObject(value['logins']) &&
    Object.values(value['logins']).every((sub) => typeof sub === 'string')
  );
}

function isIdentityList(value: unknown): value is Identity[] {
  return Array.isArray(value) && value.every(isIdentity);
}

/** `<region>:<uuid>` derived from the login, so the same person gets the same id even from an empty store. */
function deriveIdentityId(poolId: string, providerName: string, sub: string): string {
  const region = poolId.slice(0, poolId.indexOf(':'));
  const h = createHash('sha256').update(`${poolId}\n${providerName}\n${sub}`).digest('hex');
  const variant = ((Number.parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${region}:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function openIdentityStore(dataDir: string | undefined): Promise<IdentityStore> {
  const file = jsonFile(dataDir, 'identities.json', isIdentityList);
  const byId = new Map(((await file.load()) ?? []).map((identity) => [identity.identityId, identity]));
  return {
    async identityFor(poolId, providerName, sub) {
      const identityId = deriveIdentityId(poolId, providerName, sub);
      const known = byId.get(identityId);
      if (known) return known;
      const identity = { identityId, poolId, logins: { [providerName]: sub } };
      byId.set(identityId, identity);
      await file.save([...byId.values()]);
      return identity;
    },
    find: (identityId) => byId.get(identityId),
  };
}
