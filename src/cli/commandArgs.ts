/**
 * The one command-line parser of every subcommand: `node:util` parseArgs (strict), its errors
 * shortened to one line that names the option and points at `oomscope COMMAND --help`, plus the
 * value readers the commands share (durations, --format). Exit 2 comes from the UsageError.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** parseArgs' result for these options (values typed from the specs). */
export type ParsedArgs<O extends OptionSpecs, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: P; strict: true }>
>;

/**
 * Parses `argv` (the arguments after the command name). Every option is `--name` (and `-x` when
 * it has a `short`); `--name=VALUE` writes a value that starts with -. Throws a UsageError.
 */
export function parseCommandArgs<O extends OptionSpecs, P extends boolean>(
  command: string,
  argv: string[],
  options: O,
  allowPositionals: P,
): ParsedArgs<O, P> {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(`${parseArgsMessage(e, argv)}; run 'oomscope ${command} --help' for the options`);
  }
}

/** node:util parseArgs errors, shortened to what failed. */
function parseArgsMessage(e: unknown, argv: readonly string[]): string {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string } | null)?.code;
  const option = /'(?:-\w, )?(--[\w-]+)/.exec(msg)?.[1] ?? /'(-\w)\b/.exec(msg)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option '${option}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (/does not take an argument/.test(msg)) return `${option} does not take a value`;
    return /ambiguous/.test(msg)
      ? `${option} needs a value; write ${option}=VALUE for a value that starts with -`
      : `${option} needs a value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']*)'/.exec(msg)?.[1] ?? argv.find((a) => !a.startsWith('-'));
    return arg === undefined ? 'unexpected argument' : `unexpected argument '${arg}'`;
  }
  return (msg.split('\n')[0] ?? msg).replace(/\.$/, '');
}

/** "30s", "5m", "1h", "250ms", "10" (seconds) → ms. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return null;
  const f = { ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2] ?? 's']!;
  return Number(m[1]) * f;
}
