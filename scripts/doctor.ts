// `npm run doctor`: checks a configuration against the provider and the identity pool from outside the
// extension, one line per check with the fix for each failure. The checks the options page's Check runs too
// live in src/shared/checks/; those needing Node or the AWS SDK (files, the basic flow, the dataset service) in scripts/doctor/.
import { parseDoctorArgs, USAGE } from './doctor/args';
import { sdkGetId } from './doctor/cognito';
import { exitCode, formatReport } from './doctor/report';
import { runDoctor } from './doctor/run';

const parsed = parseDoctorArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(`${USAGE}\n`);
} else if (parsed.kind === 'error') {
  process.stderr.write(`${parsed.message}\n\n${USAGE}\n`);
  process.exitCode = 2;
} else {
  const results = await runDoctor(parsed.options, { fetch, timeoutMs: parsed.timeoutMs, getId: sdkGetId });
  process.stdout.write(parsed.json ? `${JSON.stringify(results, null, 2)}\n` : formatReport(results));
  process.exitCode = exitCode(results);
}
