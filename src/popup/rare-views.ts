// The popup's views that only some states or actions show, in one chunk loaded after the first paint
// (rare-views-chunk.ts): what a typical first frame (signed in, the dataset synced, no failure) does not show
// stays out of the popup's first load.
export { CredentialsStatus } from './credentials-status';
export { EditButtons, EditField } from './inline-edit';
export { NotSignedIn, SignedOut } from './signed-out';
export { SyncNotices } from './sync-notices';
export { wayOut } from './way-out';
export { WayOutButton } from './way-out-button';
