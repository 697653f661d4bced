// Credentials' expiry on this computer's clock. AWS states Expiration on its own clock; renewal, and the AWS SDK
// deciding whether to reuse credentials, compare it with this computer's. With a clock minutes behind AWS's,
// credentials would be kept past their end, and every request until the late renewal refused with
// ExpiredTokenException (and a sync run again with new ones each time). The answer's Date header is AWS's clock
// at that moment: the time left is Expiration minus that Date, counted from when the answer came.
import type { DeserializeHandlerOutput, MiddlewareStack } from '@smithy/types';

/** Reads the Date header of the answer to this one command, once it has been sent. */
export function answerDate<Input extends object, Output extends object>(command: {
  middlewareStack: MiddlewareStack<Input, Output>;
}): () => number | undefined {
  let date: number | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result: DeserializeHandlerOutput<Output> = await next(args);
      const { response } = result;
      const headers = typeof response === 'object' && response !== null && 'headers' in response ? response.headers : undefined;
      const value = typeof headers === 'object' && headers !== null && 'date' in headers ? headers.date : undefined;
      const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      date = Number.isNaN(parsed) ? undefined : parsed;
      return result;
    },
    { step: 'deserialize', name: 'answerDate' },
  );
  return () => date;
}

/**
 * When credentials expire, on this computer's clock: `now` plus the time AWS gave them (Expiration minus the
 * answer's Date). Expiration as it is when the answer had no readable Date, or the two disagree on which comes first.
 */
export function expiryHere(expiration: number, answeredAt: number | undefined, now: number): number {
  if (answeredAt === undefined || expiration <= answeredAt) return expiration;
  return now + (expiration - answeredAt);
}
