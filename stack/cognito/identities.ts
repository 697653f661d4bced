// Identity ids of the identity pool: one per (pool, provider, subject), stable across restarts, until two
// identities are merged and the surviving one holds the logins of both.
import { createHash } from 'node:crypto';
import { isObject } from '../http';
import { jsonFile } from '../json-file';

export interface Login {
  providerName: string;
  sub: string;
}

export interface Identity {
  identityId: string;
  poolId: string;
  /** Logins key (provider name) → subject. */
  logins: Record<string, string>;
  /**
   * The logins this identity took from identities merged into it. Kept apart from `logins`: the stack's one
   * provider signs in both people of a merge, and `logins` holds one subject per provider.
   */
  mergedLogins?: Login[];
  /** The identity this one was merged into: it holds no logins since, and Cognito refuses it. */
  mergedInto?: string;
}

export interface IdentityStore {
  /** The identity that holds a login (the one it was merged into, if it was), created on first sight. */
  identityFor(poolId: string, providerName: string, sub: string): Promise<Identity>;
  find(identityId: string): Identity | undefined;
  /** Throws the reason Cognito Identity's side of merging `from` into `into` is refused, if it is; changes nothing. */
  checkMerge(from: string, into: string): void;
  /**
   * Cognito Identity's side of two sign-ins linked: `into` takes `from`'s logins, and `from` is marked merged
   * and holds none. Merging `from` again into the same `into` changes nothing. Refusals as checkMerge.
   */
  merge(from: string, into: string): Promise<void>;
}

/** Every login an identity holds: its own and those it took from identities merged into it. */
export function heldLogins(identity: Identity): Login[] {
  return [...Object.entries(identity.logins).map(([providerName, sub]) => ({ providerName, sub })), ...(identity.mergedLogins ?? [])];
}

export function holdsLogin(identity: Identity, providerName: string, sub: string): boolean {
  return heldLogins(identity).some((login) => login.providerName === providerName && login.sub === sub);
}

function isLogin(value: unknown): value is Login {
  return isObject(value) && typeof value['providerName'] === 'string' && typeof value['sub'] === 'string';
}

function isIdentity(value: unknown): value is Identity {
  return (
    isObject(value) &&
    typeof value['identityId'] === 'string' &&
    typeof value['poolId'] === 'string' &&
    isObject(value['logins']) &&
    Object.values(value['logins']).every((sub) => typeof sub === 'string') &&
    (value['mergedLogins'] === undefined || (Array.isArray(value['mergedLogins']) && value['mergedLogins'].every(isLogin))) &&
    (value['mergedInto'] === undefined || typeof value['mergedInto'] === 'string')
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

  /** The two identities of a merge that may go ahead; undefined when it is done already. */
  function mergeable(from: string, into: string): { source: Identity; target: Identity } | undefined {
    if (from === into) throw new Error(`An identity cannot be merged into itself: '${from}'`);
    const notFound = (id: string) => new Error(`Identity '${id}' not found: the stack merges only identities GetId has answered`);
    const source = byId.get(from);
    if (!source) throw notFound(from);
    const target = byId.get(into);
    if (!target) throw notFound(into);
    if (target.mergedInto !== undefined) {
      throw new Error(`Identity '${into}' was merged into '${target.mergedInto}': it cannot take another identity`);
    }
    if (source.mergedInto === into) return undefined;
    if (source.mergedInto !== undefined) throw new Error(`Identity '${from}' was merged into '${source.mergedInto}' already`);
    return { source, target };
  }

  return {
    async identityFor(poolId, providerName, sub) {
      const identityId = deriveIdentityId(poolId, providerName, sub);
      const known = byId.get(identityId);
      if (known && known.mergedInto === undefined) return known;
      // The login was merged into another identity: that one answers for it now.
      for (const identity of byId.values()) {
        if (identity.poolId === poolId && identity.mergedInto === undefined && holdsLogin(identity, providerName, sub)) return identity;
      }
      if (known) return known;
      const identity = { identityId, poolId, logins: { [providerName]: sub } };
      byId.set(identityId, identity);
      await file.save([...byId.values()]);
      return identity;
    },
    find: (identityId) => byId.get(identityId),
    checkMerge(from, into) {
      mergeable(from, into);
    },
    async merge(from, into) {
      const pair = mergeable(from, into);
      if (!pair) return;
      const { source, target } = pair;
      byId.set(into, { ...target, mergedLogins: [...(target.mergedLogins ?? []), ...heldLogins(source)] });
      byId.set(from, { identityId: source.identityId, poolId: source.poolId, logins: {}, mergedInto: into });
      await file.save([...byId.values()]);
    },
  };
}
