// The popup's views that its typical first frame (signed in, the dataset synced, no failure) does not show: those
// of other states, and those an action opens. One chunk, loaded once the first frame is on screen (later-views-chunk.ts),
// so it is normally there before a state or an action needs it; at once when the state shown needs it.
export { CredentialsStatus } from './credentials-status';
export { DatasetManager } from './dataset-manager';
export { DatasetTransfer } from './dataset-transfer';
export { DroppedNotice } from './dropped-notice';
export { keepDraft, readDrafts } from './drafts';
export { EditButtons, EditField } from './inline-edit';
export { RecordDetail } from './record-detail';
export { RowRefusal } from './row-refusal';
export { NotSignedIn, SignedOut } from './signed-out';
export { SyncNotices, syncNews } from './sync-notices';
export { wayOut } from './way-out';
export { WayOutButton } from './way-out-button';
