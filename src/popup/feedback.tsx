import type { SerializedError } from '../shared/errors';
import { laterViews } from './later-views-chunk';

/**
 * A failure told where it happened, with the one action that helps (way-out-button.tsx). The message is in the
 * first frame that has the failure; its button comes with the chunk of the views only some states show.
 */
export function Feedback({
  error,
  onRetry,
  id,
  busy,
}: {
  error: SerializedError;
  onRetry?: (() => void) | undefined;
  id?: string;
  /** What failed is being tried again: the failure stays on screen until it succeeds, its retry unavailable. */
  busy?: boolean;
}) {
  const later = laterViews.useModule();
  return (
    <div role="alert" class="alert" id={id}>
      <p>{error.message}</p>
      {later && <later.WayOutButton code={error.code} onRetry={onRetry} busy={busy} />}
    </div>
  );
}
