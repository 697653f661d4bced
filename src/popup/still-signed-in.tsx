import type { AuthState } from '../shared/auth-state';
import { t } from '../shared/i18n';

/**
 * After a sign-out whose provider session could not be ended (no logout endpoint, or its logout failed):
 * anyone who opens the provider's site on this computer would be this person, so say where to sign out.
 */
export function StillSignedIn({ auth }: { auth: AuthState }) {
  if (auth.stillSignedInAt === undefined) return null;
  return (
    <p role="status" class="still-signed-in">
      {t('popupStillSignedInAt', auth.stillSignedInAt)}
    </p>
  );
}
