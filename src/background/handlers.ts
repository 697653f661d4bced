// The worker's message handlers. The pages' `send()` is typed from `Handlers`.
import type { Context } from './context';
import { settingsHandlers } from './settings-handlers';

export function createHandlers(ctx: Context) {
  return {
    async ping(): Promise<{ version: string }> {
      return { version: ctx.version };
    },
    ...settingsHandlers(ctx, async () => {}),
  };
}

export type Handlers = ReturnType<typeof createHandlers>;
