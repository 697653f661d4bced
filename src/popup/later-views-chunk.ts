// The chunk of the popup's views that its typical first frame does not show (later-views.ts), loaded with import().
// The popup starts loading it after its first paint, or at once when the state shown needs it (popup-app.tsx); any
// other view that needs it sooner renders again once it is there.
import { lazyModule } from '../ui/lazy';

export const laterViews = lazyModule(() => import('./later-views'));
