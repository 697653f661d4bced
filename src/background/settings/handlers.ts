// Messages about settings: read them with what the options page needs, save them, clear them.
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import {
  changesCredentials,
  changesIdentity,
  DEFAULT_SETTINGS,
  originsFor,
  SETTINGS_FIELDS,
  validateSettings,
  type Settings,
  type SettingsField,
  type SettingsForm,
} from '../../shared/settings';
import { SETTINGS_FIELD_LABELS } from '../../shared/settings-labels';
import type { Context } from '../platform/context';
import { handler, isRecord, noArgs } from '../platform/protocol';

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

/**
 * Gives back host access that the new settings no longer need. Origins the manifest requires (the
 * development build's loopback access) cannot be removed; the browser refuses and nothing is lost.
 */
async function releaseOrigins(ctx: Context, before: Settings | undefined, after: Settings | undefined): Promise<void> {
  if (!before || !ctx.permissions) return;
  const kept = new Set(after ? originsFor(after) : []);
  const unneeded = originsFor(before).filter((origin) => !kept.has(origin));
  if (unneeded.length > 0) await ctx.permissions.remove({ origins: unneeded }).catch(() => false);
}

/** The options page's form: every field as typed, a string. */
function isSettingsForm(value: unknown): value is SettingsForm {
  return isRecord(value) && SETTINGS_FIELDS.every((field) => typeof value[field] === 'string');
}

export function settingsHandlers(ctx: Context, onIdentityChange: () => Promise<void>) {
  return {
    getOptions: handler(noArgs, async (): Promise<OptionsView> => {
      return {
        settings: await ctx.items.settings.get(),
        defaults: ctx.devDefaults ?? DEFAULT_SETTINGS,
        redirectUrl: ctx.identity.getRedirectURL(),
        devBuild: ctx.devDefaults !== undefined,
      };
    }),

    saveSettings: handler(
      (args) => [args.take(isSettingsForm)],
      async (form: SettingsForm): Promise<SaveResult> => {
        // A development build (it carries the local stack's defaults) accepts any endpoint; a release build AWS's own.
        const result = validateSettings(form, { release: ctx.devDefaults === undefined });
        if (!result.ok) {
          const fields = (Object.keys(result.problems) as SettingsField[]).map((field) => t(SETTINGS_FIELD_LABELS[field]));
          throw new AppError('INVALID_SETTINGS', t('errorInvalidSettings', fields.join(', ')));
        }
        const before = await ctx.items.settings.get();
        const signedOut = changesIdentity(before, result.settings);
        if (signedOut) await onIdentityChange();
        // Another role (or flow): the next AWS call fetches credentials for it, and the signed clients, which
        // keep the credentials they resolved until those near expiry, are made again to ask for them.
        const staleCredentials = !signedOut && changesCredentials(before, result.settings);
        if (staleCredentials) await ctx.items.awsCredentials.remove();
        await ctx.items.settings.set(result.settings);
        // After the settings are written: a client made before then would ask for the old role's credentials.
        if (staleCredentials) ctx.aws.forget();
        await releaseOrigins(ctx, before, result.settings);
        return { settings: result.settings, signedOut };
      },
    ),

    resetSettings: handler(noArgs, async (): Promise<void> => {
      const before = await ctx.items.settings.get();
      await onIdentityChange();
      await ctx.items.settings.remove();
      await releaseOrigins(ctx, before, undefined);
    }),
  };
}
