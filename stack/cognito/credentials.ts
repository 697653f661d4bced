// Temporary AWS credentials the identity pool hands out, remembered so the DynamoDB gateway can check
// signatures made with them (and, with --data, across restarts).
import { randomBytes } from 'node:crypto';
import { isObject } from '../http';
import { jsonFile } from '../json-file';

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  identityId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface CredentialStore {
  issue(identityId: string, ttlSeconds: number): Promise<IssuedCredentials>;
  find(accessKeyId: string): IssuedCredentials | undefined;
}

/** Expired credentials are kept a while so that requests signed with them get ExpiredTokenException. */
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;

function isIssued(value: unknown): value is IssuedCredentials {
  return (
    isObject(value) &&
    typeof value['accessKeyId'] === 'string' &&
    typeof value['secretAccessKey'] === 'string' &&
    typeof value['sessionToken'] === 'string' &&
    typeof value['identityId'] === 'string' &&
    typeof value['expiresAt'] === 'number'
  );
}

function isIssuedList(value: unknown): value is IssuedCredentials[] {
  return Array.isArray(value) && value.every(isIssued);
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Temporary (STS) access key ids are 20 characters starting with ASIA. */
function accessKeyId(): string {
  return `ASIA${[...randomBytes(16)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('')}`;
}

export async function openCredentialStore(dataDir: string | undefined, now: () => number): Promise<CredentialStore> {
  const file = jsonFile(dataDir, 'credentials.json', isIssuedList);
  const byKey = new Map(((await file.load()) ?? []).map((issued) => [issued.accessKeyId, issued]));
  return {
    async issue(identityId, ttlSeconds) {
      const issued: IssuedCredentials = {
        accessKeyId: accessKeyId(),
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(96).toString('base64'),
        identityId,
        // Whole seconds: Expiration travels as epoch seconds.
        expiresAt: (Math.floor(now() / 1000) + ttlSeconds) * 1000,
      };
      for (const [key, old] of byKey) if (old.expiresAt + KEEP_EXPIRED_MS < now()) byKey.delete(key);
      byKey.set(issued.accessKeyId, issued);
      await file.save([...byKey.values()]);
      return issued;
    },
    find: (key) => byKey.get(key),
  };
}
