// The popup's end of src/shared/popup-drafts.ts: the drafts of the dataset shown are read once, when this chunk
// is there (after the first paint), and every change is written, one write after another.
import { popupDraftsItem, withPart, type DraftParts, type PopupDrafts } from '../shared/popup-drafts';
import { authStateItem, browserAreas } from '../shared/storage-pages';
import { browser } from '../ui/browser';

/** Whose dataset the drafts are typed in. */
export interface DraftsPlace {
  identityId: string;
  datasetName: string;
}

const { session } = browserAreas(browser);
const item = popupDraftsItem(session);
let kept: Promise<PopupDrafts | undefined> | undefined;
let writes: Promise<void> = Promise.resolve();

// The worker removes the drafts at sign-out before it writes the signed-out state (auth/records.ts): a popup that
// stays open while the person signs out and in again must not bring them back from what it read before.
authStateItem(session).onChanged((state) => {
  if (state?.status === 'signedOut') kept = Promise.resolve(undefined);
});

/** The drafts kept for this dataset; none for another identity's or dataset's. */
export async function readDrafts(place: DraftsPlace): Promise<DraftParts> {
  kept ??= item.get().catch(() => undefined);
  const drafts = await kept;
  if (!drafts || drafts.identityId !== place.identityId || drafts.datasetName !== place.datasetName) return {};
  const { identityId: _identity, datasetName: _dataset, ...parts } = drafts;
  return parts;
}

/** Sets one part of this dataset's drafts (undefined: nothing typed there); another dataset's are replaced. */
export function keepDraft<K extends keyof DraftParts>(place: DraftsPlace, name: K, part: DraftParts[K] | undefined): void {
  const next = readDrafts(place).then((parts): PopupDrafts => ({ ...withPart(parts, name, part), ...place }));
  kept = next;
  writes = writes
    .then(async () => {
      const drafts = await next;
      const empty = drafts.add === undefined && drafts.rows === undefined && drafts.detail === undefined;
      await (empty ? item.remove() : item.set(drafts));
    })
    // Lost drafts are a convenience lost, never a failure to tell.
    .catch(() => undefined);
}
