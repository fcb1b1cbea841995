/**
 * The `oomscope` process: wires stdin, stdout, stderr and the exit code to `main` (kept apart from it so that
 * tests can run `main` in process without running a command of their own).
 */
import { main } from './dispatch';
import type { CliIo } from './io';

const io: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdin: () => process.stdin,
  isTty: Boolean(process.stdout.isTTY),
  cwd: process.cwd(),
  env: process.env,
};
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`oomscope: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
