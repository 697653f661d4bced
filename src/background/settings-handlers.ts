// Messages about settings: read them with what the options page needs, save them, clear them.
import { AppError } from '../shared/errors';
import { t } from '../shared/i18n';
import { changesIdentity, DEFAULT_SETTINGS, validateSettings, type Settings, type SettingsForm } from '../shared/settings';
import type { Context } from './context';

export interface OptionsView {
  settings: Settings | undefined;
  /** What an empty form starts with: the local stack's settings in a development build. */
  defaults: Settings;
  redirectUrl: string;
  devBuild: boolean;
}

export interface SaveResult {
  settings: Settings;
  /** True when the change of provider or pool ended the sign-in. */
  signedOut: boolean;
}

export function settingsHandlers(ctx: Context, onIdentityChange: () => Promise<void>) {
  return {
    async getOptions(): Promise<OptionsView> {
      return {
        settings: await ctx.items.settings.get(),
        defaults: ctx.devDefaults ?? DEFAULT_SETTINGS,
        redirectUrl: ctx.identity.getRedirectURL(),
        devBuild: ctx.devDefaults !== undefined,
      };
    },

    async saveSettings(form: SettingsForm): Promise<SaveResult> {
      const result = validateSettings(form);
      if (!result.ok) {
        throw new AppError('INVALID_SETTINGS', t('errorInvalidSettings', Object.keys(result.problems).join(', ')));
      }
      const before = await ctx.items.settings.get();
      const signedOut = changesIdentity(before, result.settings);
      if (signedOut) await onIdentityChange();
      await ctx.items.settings.set(result.settings);
      return { settings: result.settings, signedOut };
    },

    async resetSettings(): Promise<void> {
      await onIdentityChange();
      await ctx.items.settings.remove();
    },
  };
}
