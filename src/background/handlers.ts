// The worker's message handlers. The pages' `send()` is typed from `Handlers`.
import { authHandlers } from './auth-handlers';
import { signOut } from './auth/sign-out';
import type { Context } from './context';
import { datasetHandlers, workerDatasetDeps } from './dataset-handlers';
import { settingsHandlers } from './settings-handlers';

export function createHandlers(ctx: Context) {
  return {
    async ping(): Promise<{ version: string }> {
      return { version: ctx.version };
    },
    // Another provider, client or pool makes the current sign-in meaningless: sign out first.
    ...settingsHandlers(ctx, () => signOut(ctx)),
    ...authHandlers(ctx),
    ...datasetHandlers(ctx, workerDatasetDeps(ctx)),
  };
}

export type Handlers = ReturnType<typeof createHandlers>;
