// The worker's message handlers. The pages' `send()` is typed from `Handlers`.
import { authHandlers } from './auth-handlers';
import { signOut } from './auth/sign-out';
import type { Context } from './context';
import { datasetHandlers, workerDatasetDeps } from './dataset-handlers';
import { settingsHandlers } from './settings-handlers';

export function createHandlers(ctx: Context) {
  return {
    /** Which worker answers: a restarted one has a later `startedAt`. */
    async ping(): Promise<{ version: string; startedAt: number }> {
      return { version: ctx.version, startedAt: performance.timeOrigin };
    },
    // Another provider, client or pool makes the current sign-in meaningless: sign out first.
    ...settingsHandlers(ctx, () => signOut(ctx)),
    ...authHandlers(ctx),
    ...datasetHandlers(ctx, workerDatasetDeps(ctx)),
  };
}

export type Handlers = ReturnType<typeof createHandlers>;
