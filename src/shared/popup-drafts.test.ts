import { describe, expect, it } from 'vitest';
import { parsePopupDrafts, withPart } from './popup-drafts';

describe('the popup drafts as stored', () => {
  const place = { identityId: 'us-east-1:0000', datasetName: 'MainDataset' };

  it('reads back what was written', () => {
    const drafts = {
      ...place,
      add: { key: 'k', value: '' },
      rows: { a: 'typed', b: '' },
      detail: { key: 'long', value: 'line 1\nline 2', base: 'line 1' },
    };
    expect(parsePopupDrafts(drafts)).toEqual(drafts);
  });

  it('drops a malformed part and keeps the rest, and refuses drafts that name no dataset', () => {
    expect(parsePopupDrafts({ ...place, add: { key: 1 }, rows: { a: 'typed', b: 2 }, detail: { key: 'k', value: 'v' } })).toEqual({
      ...place,
      rows: { a: 'typed' },
    });
    expect(parsePopupDrafts({ identityId: 'us-east-1:0000', add: { key: 'k', value: 'v' } })).toBeUndefined();
    expect(parsePopupDrafts('drafts')).toBeUndefined();
  });

  it('sets or removes one part', () => {
    const add = { key: 'k', value: 'v' };
    expect(withPart({ rows: { a: 'b' } }, 'add', add)).toEqual({ rows: { a: 'b' }, add });
    expect(withPart({ rows: { a: 'b' }, add }, 'add', undefined)).toEqual({ rows: { a: 'b' } });
  });
});
