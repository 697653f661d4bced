import type { ComponentChildren } from 'preact';
import type { AuthState } from '../shared/auth-state';
import { t } from '../shared/i18n';
import { useCopy } from '../ui/use-copy';

/** `tools`: the header's menus (datasets, export and import), placed before Sign out. */
export function ProfileHeader({ auth, onSignOut, tools }: { auth: AuthState; onSignOut: () => void; tools?: ComponentChildren }) {
  const { copied, copy: copyText } = useCopy();
  const profile = auth.profile;
  const name = profile?.name ?? profile?.email ?? profile?.sub ?? '';
  const copy = (): void => {
    if (auth.identityId) copyText(auth.identityId);
  };
  return (
    <header class="profile">
      {profile?.picture ? (
        <img class="avatar" src={profile.picture} alt={t('avatarAlt', name)} width={40} height={40} referrerpolicy="no-referrer" />
      ) : (
        <span class="avatar initials" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
      )}
      <div class="who">
        {/* Isolated, not dir=auto: a name in another script keeps its order and still lines up with the lines under it. */}
        <p class="name">
          <bdi>{name}</bdi>
        </p>
        {profile?.email && <p class="email">{profile.email}</p>}
        {auth.identityId && (
          <p class="identity">
            <span class="visually-hidden">{t('identityIdValue', auth.identityId)}</span>
            <code title={t('labelIdentityId')} aria-hidden="true">
              {auth.identityId}
            </code>
            <button type="button" class="small" onClick={copy} aria-label={t('buttonCopyIdentityId')}>
              {copied ? t('copied') : t('buttonCopy')}
            </button>
            <span role="status" class="visually-hidden">
              {copied ? t('copied') : ''}
            </span>
          </p>
        )}
      </div>
      <div class="header-tools">
        {tools}
        <button type="button" onClick={onSignOut}>
          {t('buttonSignOut')}
        </button>
      </div>
    </header>
  );
}
