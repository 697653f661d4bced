// Launching the browser's web auth flow (`identity.launchWebAuthFlow`): the details each browser takes, this
// extension's own bound on a silent flow, and the browser's refusals as AppErrors. The authorization request
// itself is pkce-flow.ts's.
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { Context, WebAuthFlowDetails } from '../platform/context';
import { webAuthFlowError } from './auth-errors';

/** How long a silent flow may take in all (Chrome allows at most 60 s): a browser start must not wait on it. */
export const SILENT_FLOW_TIMEOUT_MS = 20_000;

/**
 * Chrome's identity API (its redirect host is chromiumapp.org) takes limits for a silent flow; Firefox
 * refuses properties it does not know, and its silent flows end at the first page anyway (docs/worker.md).
 * `abortOnLoadForNonInteractive: true` fits a provider that answers `prompt=none` with plain HTTP redirects,
 * which is all Firefox supports too.
 */
export function webAuthFlowDetails(url: URL, interactive: boolean, redirectUri: string): WebAuthFlowDetails {
  const details: WebAuthFlowDetails = { url: url.href, interactive };
  if (!interactive && new URL(redirectUri).hostname.endsWith('.chromiumapp.org')) {
    details.abortOnLoadForNonInteractive = true;
    details.timeoutMsForNonInteractive = SILENT_FLOW_TIMEOUT_MS;
  }
  return details;
}

/**
 * This extension's own bound on a silent flow, in every browser: Firefox takes no limit, and checks the
 * provider's answer with a request that has none, so a provider that never answers would hold the renewal (and
 * the sign-out that waits on it) for as long as the browser runs. A little over Chrome's own limit, which ends
 * its flows first.
 */
export const SILENT_FLOW_BOUND_MS = SILENT_FLOW_TIMEOUT_MS + 5_000;

/** The silent flow's answer, or a sign-in the person must make once it is not there within the bound. */
function bounded(flow: Promise<string | undefined>): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('AUTH_REQUIRED', t('errorAuthRequired'))), SILENT_FLOW_BOUND_MS);
  });
  return Promise.race([flow, late]).finally(() => clearTimeout(timer));
}

export async function launch(ctx: Context, details: WebAuthFlowDetails): Promise<string> {
  let returned: string | undefined;
  try {
    const flow = ctx.identity.launchWebAuthFlow(details);
    returned = await (details.interactive ? flow : bounded(flow));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw webAuthFlowError(error, details.url, globalThis.navigator?.onLine !== false);
  }
  if (!returned) throw new AppError('AUTH_CANCELLED', t('errorAuthCancelled'));
  return returned;
}
