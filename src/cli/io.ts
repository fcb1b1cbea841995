/** What a CLI subcommand gets from the process, so tests can run commands in process too. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input (for `-`), read at most once and only through inputChunks (bounded). */
  stdin: () => AsyncIterable<Uint8Array>;
  isTty: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A subcommand: returns the process exit code (docs/cli.md: 0 ok, 1 findings at error level, 2 usage/input error). */
export type Subcommand = (argv: string[], io: CliIo) => Promise<number>;

/** Thrown for usage errors; main prints the message on one line and exits 2. */
export class UsageError extends Error {}
