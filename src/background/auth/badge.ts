// The toolbar badge says when the person must act: renewal failed and a new sign-in is needed.
import type { AuthState } from '../../shared/auth-state';
import { t } from '../../shared/i18n';

export interface ActionLike {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
}

export function authBadge(state: AuthState | undefined): { text: string; title: string } {
  if (state?.status === 'needsSignIn') return { text: '!', title: t('badgeNeedsSignIn') };
  return { text: '', title: t('actionTitle') };
}

export async function showAuthBadge(action: ActionLike, state: AuthState | undefined): Promise<void> {
  const { text, title } = authBadge(state);
  await action.setBadgeText({ text });
  if (text) await action.setBadgeBackgroundColor({ color: '#b3261e' });
  await action.setTitle({ title });
}
