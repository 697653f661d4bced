// The kept drafts (drafts.ts, in the chunk loaded after the first paint) as one part of the popup uses them.
import { useEffect, useState } from 'preact/hooks';
import type { DraftParts } from '../shared/popup-drafts';
import type { DraftsPlace } from './drafts';
import { laterViews } from './later-views-chunk';

type Keeper = Pick<NonNullable<ReturnType<typeof laterViews.useModule>>, 'keepDraft' | 'readDrafts'>;

/**
 * Hands this dataset's kept drafts to `restore` once (per mount), when the chunk that keeps them is there and
 * `ready`; then answers what writes them, undefined until then, so that nothing is written over drafts not read yet.
 */
export function useKeptDrafts(place: DraftsPlace, restore: (parts: DraftParts) => void, ready = true): Keeper | undefined {
  const later = laterViews.useModule();
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    if (!later || !ready || restored) return;
    void later.readDrafts(place).then((parts) => {
      restore(parts);
      setRestored(true);
    });
  }, [later, ready]);
  return restored ? later : undefined;
}
