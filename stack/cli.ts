// `npm run stack`: the local stack in the foreground until Ctrl-C.
import { startStack } from './index';
import { parseCliArgs, USAGE } from './cli-args';
import type { CliCommand } from './cli-args';

async function main(): Promise<void> {
  let command: CliCommand;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (command.help) {
    console.log(USAGE);
    return;
  }

  const stack = await startStack(command.options);
  const where = command.options.dataDir === undefined ? 'in memory' : `data in ${command.options.dataDir}`;
  console.log(`users: ${stack.config.users.map((user) => user.username).join(', ')} (password "password"); ${where}`);
  console.log(`config: ${stack.url}/_stack/config`);
  console.log(`stack ready at ${stack.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C does not wait.
      process.exit(130);
    }
    stopping = true;
    console.log(`${signal}: stopping`);
    stack.close().then(
      () => console.log('stack stopped'),
      (error: unknown) => {
        console.error('stack did not stop cleanly', error);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
