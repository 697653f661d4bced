// Launching the browser's web auth flow (`identity.launchWebAuthFlow`): the details each browser takes, this
// extension's own bound on a silent flow, and the browser's refusals as AppErrors. The authorization request
// itself is pkce-flow.ts's.
//
// Chrome runs one flow per extension at a time and refuses the next with "Only one web auth flow is allowed at a
// time." (auth-errors.ts), whether the flow it runs shows a window or not. Renewal and the silent sign-in at
// browser start (`prompt=none`) and the provider logout of a sign-out (lifecycle/sign-out.ts) show none: a
// person pressing Sign in meanwhile must not be told of a window nobody can see. So every flow is launched
// here, and this worker keeps those the browser has not answered yet (`webAuthFlows`, platform/context.ts); the
// person's window, refused while only flows without a window run, waits for them to end (each is bounded) and
// is launched again. Firefox runs flows side by side and refuses none
// (https://searchfox.org/mozilla-central/source/toolkit/components/extensions/parent/ext-identity.js).
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { Context, RunningFlow, WebAuthFlowDetails } from '../platform/context';
import { AttemptSuperseded, SIGN_IN_WINDOW_MS } from './attempt';
import { webAuthFlowError } from './auth-errors';
import { waitingFlights } from './records';

/** How long a silent flow may take in all (Chrome allows at most 60 s): a browser start must not wait on it. */
export const SILENT_FLOW_TIMEOUT_MS = 20_000;

/**
 * Chrome's identity API (its redirect host is chromiumapp.org) takes limits for a silent flow; Firefox
 * refuses properties it does not know, and its silent flows end at the first page anyway (docs/worker.md).
 * `abortOnLoadForNonInteractive: true` fits a provider that answers `prompt=none` with plain HTTP redirects,
 * which is all Firefox supports too. `timeoutMs`: Chrome's limit on a silent flow, which then ends no later
 * than the worker waits for it, and holds up no window after that.
 */
export function webAuthFlowDetails(url: URL, interactive: boolean, redirectUri: string, timeoutMs = SILENT_FLOW_TIMEOUT_MS): WebAuthFlowDetails {
  const details: WebAuthFlowDetails = { url: url.href, interactive };
  if (!interactive && new URL(redirectUri).hostname.endsWith('.chromiumapp.org')) {
    details.abortOnLoadForNonInteractive = true;
    details.timeoutMsForNonInteractive = timeoutMs;
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

/** The one call of `identity.launchWebAuthFlow`: the flow is this worker's known one until the browser answers. */
export function launchWebAuthFlow(ctx: Context, details: WebAuthFlowDetails): Promise<string | undefined> {
  const flow = ctx.identity.launchWebAuthFlow(details);
  const forget = (): void => {
    ctx.webAuthFlows.delete(running);
  };
  const running: RunningFlow = { interactive: details.interactive, ended: flow.then(forget, forget) };
  ctx.webAuthFlows.add(running);
  return flow;
}

function browserError(error: unknown, details: WebAuthFlowDetails): AppError {
  if (error instanceof AppError) return error;
  return webAuthFlowError(error, details.url, globalThis.navigator?.onLine !== false);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * What must end before a refused window is launched again, when only flows without a window can explain the
 * refusal; undefined when a window may be open, so that the person is rightly sent to it.
 * `running`: this worker's flows when the window was launched. With none, the requests a stopped worker
 * filed (records.ts): a flow outlives the worker that launched it, a silent one by its bound at most.
 */
async function flowsWithoutWindow(ctx: Context, running: readonly RunningFlow[]): Promise<Promise<unknown>[] | undefined> {
  if (running.some((flow) => flow.interactive)) return undefined;
  if (running.length > 0) return running.map((flow) => flow.ended);
  const now = ctx.now();
  const earlier = (await waitingFlights(ctx)).filter((flight) => flight.startedAt < ctx.startedAt);
  if (earlier.some((flight) => flight.interactive && now - flight.startedAt < SIGN_IN_WINDOW_MS)) return undefined;
  const over = Math.max(...earlier.filter((flight) => !flight.interactive).map((flight) => flight.startedAt + SILENT_FLOW_BOUND_MS));
  return over > now ? [delay(over - now)] : undefined;
}

/**
 * The person's window. Refused while flows without a window run, it waits for them and is launched again; all
 * the waits of one window together last at most SILENT_FLOW_BOUND_MS, after which it is refused as
 * AUTH_FLOW_BUSY, never as a window the person could finish in. `isCurrent` false: the attempt was replaced
 * while it waited (auth/attempt.ts), and opens no window then.
 */
async function launchWindow(ctx: Context, details: WebAuthFlowDetails, isCurrent: () => boolean): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let late: Promise<false> | undefined;
  try {
    for (;;) {
      // Read before the launch: a flow that ends while the browser's refusal is on its way still explains it.
      const running = [...ctx.webAuthFlows];
      try {
        return await launchWebAuthFlow(ctx, details);
      } catch (error) {
        const refusal = browserError(error, details);
        if (refusal.code !== 'AUTH_WINDOW_OPEN') throw refusal;
        const before = await flowsWithoutWindow(ctx, running);
        if (!before) throw refusal;
        late ??= new Promise((resolve) => {
          timer = setTimeout(() => resolve(false), SILENT_FLOW_BOUND_MS);
        });
        const ended = await Promise.race([Promise.all(before).then(() => true), late]);
        if (!ended) throw new AppError('AUTH_FLOW_BUSY', t('errorAuthFlowBusy'), { cause: error });
        if (!isCurrent()) throw new AttemptSuperseded();
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

/** `isCurrent`: for a window, whether the attempt it is for still wants it after a wait (launchWindow). */
export async function launch(ctx: Context, details: WebAuthFlowDetails, isCurrent: () => boolean = () => true): Promise<string> {
  let returned: string | undefined;
  if (details.interactive) {
    returned = await launchWindow(ctx, details, isCurrent);
  } else {
    try {
      returned = await bounded(launchWebAuthFlow(ctx, details));
    } catch (error) {
      throw browserError(error, details);
    }
  }
  if (!returned) throw new AppError('AUTH_CANCELLED', t('errorAuthCancelled'));
  return returned;
}
