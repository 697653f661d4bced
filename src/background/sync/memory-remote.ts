// A RemoteDataset in memory with the DynamoDB backend's semantics (one sync count per dataset,
// all-or-nothing pushes, tombstones): the engine's unit tests and the bench's merge timing use it.
import type { PullResult, PushRequest, PushResult, RemoteDataset, RemoteRecord } from './remote';

export interface MemoryServer {
  syncCount: number;
  records: Map<string, RemoteRecord>;
  /** Every pull and push, in order, for tests that count requests. */
  log: Array<'pull' | 'push'>;
}

export function createMemoryServer(): MemoryServer {
  return { syncCount: 0, records: new Map(), log: [] };
}

export function memoryRemote(server: MemoryServer, maxPatchesPerPush = 99): RemoteDataset {
  return {
    maxPatchesPerPush,
    async pull(since): Promise<PullResult> {
      server.log.push('pull');
      const records = [...server.records.values()].filter((r) => r.syncCount > since).map((r) => ({ ...r }));
      return { records, syncCount: server.syncCount };
    },
    async push(request: PushRequest): Promise<PushResult> {
      server.log.push('push');
      if (request.baseSyncCount !== server.syncCount) return { status: 'conflict' };
      const syncCount = server.syncCount + 1;
      for (const patch of request.patches) {
        server.records.set(patch.key, {
          key: patch.key,
          value: patch.value,
          syncCount,
          deviceModified: patch.deviceModified,
          deviceId: request.deviceId,
        });
      }
      server.syncCount = syncCount;
      return { status: 'committed', syncCount };
    },
  };
}
