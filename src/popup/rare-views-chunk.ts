// The chunk of the popup's views that only some states show (rare-views.ts), loaded with import(). The popup
// starts loading it after its first paint (popup-app.tsx), so it is normally there before a state needs it.
import { lazyModule } from '../ui/lazy';

export const rareViews = lazyModule(() => import('./rare-views'));
