import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../shared/dataset';
import { syncNews, syncNotices } from './sync-notices';

const report = (extra: Partial<SyncReport>): SyncReport => ({ pulled: 0, pushed: 0, conflicts: [], syncCount: 3, at: 1, ...extra });

describe('what the popup says of the last sync', () => {
  it('nothing beyond the counts after an ordinary sync', () => {
    expect(syncNotices(report({}))).toEqual([]);
    expect(syncNotices(undefined)).toEqual([]);
  });

  it('how many records came from a linked sign-in', () => {
    expect(syncNotices(report({ linkedMerged: 3 }))).toEqual(['3 record(s) merged from a linked sign-in.']);
  });

  it('a merge refused by the limits, naming the dataset left on the server and the way out', () => {
    const [notice] = syncNotices(report({ linkedRefused: ['MainDataset.us-east-1:x'] }));
    expect(notice).toContain('(MainDataset.us-east-1:x) were not merged');
    expect(notice).toContain('remove records here, then sync again');
  });

  it('this browser’s copy of a merged identity refused by the limits: kept here, and the way out', () => {
    const [notice] = syncNotices(report({ carriedRefused: true }));
    expect(notice).toContain('kept for your previous sign-in were not added');
    expect(notice).toContain('They stay in this browser; remove records here, then sync again');
  });

  it('a dataset deleted on the server: what happened, and that the pending edits were kept or the browser started again', () => {
    expect(syncNotices(report({ restarted: { cause: 'deleted', kept: 2 } }))[0]).toMatch(
      /deleted on the server.*your 2 edit\(s\) not yet synced were kept and uploaded/,
    );
    expect(syncNotices(report({ restarted: { cause: 'deleted', kept: 0 } }))[0]).toMatch(
      /deleted on the server.*started again from what the server holds now/,
    );
  });

  it('a table emptied on the server: the records were merged into it again', () => {
    expect(syncNotices(report({ restarted: { cause: 'emptied', kept: 1 } }))[0]).toMatch(
      /emptied or recreated.*your 1 edit\(s\) not yet synced included/,
    );
    expect(syncNotices(report({ restarted: { cause: 'emptied', kept: 0 } }))[0]).toMatch(/emptied or recreated.*merged into it again\.$/);
  });

  it('tells a screen reader what a sync brought: records from elsewhere, conflicts settled, notices; nothing for one that brought nothing', () => {
    expect(syncNews(report({ pushed: 2 }))).toEqual([]);
    expect(syncNews(report({ pulled: 2 }))).toEqual(['2 record(s) updated from your other browsers.']);
    expect(syncNews(report({ pulled: 1, conflicts: [{ key: 'city', winner: 'remote', strategy: 'lastWriterWins' }], linkedMerged: 3 }))).toEqual([
      '1 record(s) updated from your other browsers.',
      'Resolved 1 conflict(s): city',
      '3 record(s) merged from a linked sign-in.',
    ]);
  });
});
