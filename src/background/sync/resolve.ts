// Conflict resolution: a record changed here and on the server since this device last synced it.
// Pure functions, so every strategy is tested without a server.
import type { ConflictStrategy } from '../../shared/settings';

export interface Side {
  /** null: removed. */
  value: string | null;
  /** When that side's version was modified, on the device that modified it. */
  modifiedAt: number;
}

export type Winner = 'local' | 'remote';

/**
 * Which side wins. 'lastWriterWins' compares the devices' modification times; a tie goes to the
 * server, which already holds that version (no push) and which every device sees the same way.
 */
export function resolveConflict(strategy: ConflictStrategy, local: Side, remote: Side): Winner {
  switch (strategy) {
    case 'deviceWins':
      return 'local';
    case 'serverWins':
      return 'remote';
    case 'lastWriterWins':
      return local.modifiedAt > remote.modifiedAt ? 'local' : 'remote';
  }
}
