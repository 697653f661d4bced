// A request the browser would not let through because the person took the extension's access to that host
// away (the browser's site-access controls), which fails exactly as a lost connection does. Told as what it
// is, with the options page as the way back: its Save asks for the access again.
import { AppError } from '../../shared/errors';
import { isObject } from '../../shared/guards';
import { listFormat, t } from '../../shared/i18n';
import { originsFor } from '../../shared/settings';
import type { Context } from './context';

/** Whether a server answered the request that failed: an AWS SDK error carries the answer's HTTP status. */
function answered(error: AppError): boolean {
  const metadata = isObject(error.cause) ? error.cause['$metadata'] : undefined;
  return isObject(metadata) && typeof metadata['httpStatusCode'] === 'number';
}

/**
 * `error` as it is, unless it is a network failure that got no answer at all (a refused request looks like
 * that; a server error or a clock refusal, also told as NETWORK, had an answer) while a host the settings need
 * is no longer granted: then PERMISSION_DENIED, naming those hosts. Only such a failure is looked into, so a
 * working extension never pays for the question.
 */
export async function withHostAccess(ctx: Pick<Context, 'items' | 'permissions'>, error: unknown): Promise<unknown> {
  const { permissions } = ctx;
  if (!(error instanceof AppError) || error.code !== 'NETWORK' || answered(error) || !permissions) return error;
  const settings = await ctx.items.settings.get().catch(() => undefined);
  if (!settings) return error;
  const missing: string[] = [];
  for (const origin of originsFor(settings)) {
    // A question the browser cannot answer is no evidence of a missing grant.
    const granted = await permissions.contains({ origins: [origin] }).catch(() => true);
    if (!granted) missing.push(new URL(origin.replace('/*', '/')).host);
  }
  if (missing.length === 0) return error;
  return new AppError('PERMISSION_DENIED', t('errorHostAccessMissing', listFormat(missing)), { cause: error });
}
