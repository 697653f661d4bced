// A gate for startStack's `holdTransaction`: each DynamoDB transaction waits at it, its items held, while it is
// closed, so that a test can send a second request while the first is in flight, then let the first commit.
export interface TransactionGate {
  /** Given to startStack as `holdTransaction`. */
  hold(): Promise<void>;
  /** From now on, transactions wait until `release`; the count of those that reached it starts again. */
  close(): void;
  /** Lets every waiting transaction, and every later one, commit. */
  release(): void;
  /** How many transactions have reached the gate since it was closed. */
  readonly waiting: number;
}

export function transactionGate(): TransactionGate {
  let gate: Promise<void> = Promise.resolve();
  let open = (): void => undefined;
  let waiting = 0;
  return {
    hold() {
      waiting++;
      return gate;
    },
    close() {
      waiting = 0;
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release: () => open(),
    get waiting() {
      return waiting;
    },
  };
}
