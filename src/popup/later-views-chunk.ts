// The chunk of the popup's views that its typical first frame does not show (later-views.ts), loaded with import().
// The popup starts loading it after its first paint, or at once when the state shown needs it (popup-app.tsx); a
// view that needs it sooner waits a frame or two.
import { lazyModule } from '../ui/lazy';

export const laterViews = lazyModule(() => import('./later-views'));
