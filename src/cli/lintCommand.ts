/** `oomscope lint`: reads each input (bounded, one decoder for paths and stdin), analyzes it with the core, prints text, JSON or SARIF. */
import { version } from '../../package.json';
import { analyzeText, type FileAnalysis } from '../core/manifest/analyze';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../core/manifest/findingTypes';
import { expandInputs, type InputProblem } from './files';
import { InputError, type InputKind } from './inputBytes';
import { readInputText } from './inputText';
import { formatJson } from './formatJson';
import { formatText, paletteFor } from './formatText';
import { UsageError, type Subcommand } from './io';
import { LINT_USAGE, parseLintArgs } from './lintArgs';
import { lintRuleCatalog, parseNodeMemory, TOOL_INFORMATION_URI } from './lintCatalog';
import { countReport, type LintedFile } from './lintReport';
import { lintObservations } from './lintContext';
import { formatSarif } from './sarif';

/** What lint reads, in the words of its messages. */
const MANIFEST: InputKind = {
  noun: 'a YAML manifest',
  pass: 'pass a YAML file',
  tooLarge: 'split it into smaller files (e.g. at its --- lines) and lint those, or their folder',
  policy: 'strict',
};

/** `oomscope lint [PATH…]` (docs/cli.md). */
export const lint: Subcommand = async (argv, io) => {
  const catalog = lintRuleCatalog();
  const opts = parseLintArgs(
    argv,
    catalog.map((r) => r.id),
  );
  if (opts.help) {
    io.stdout(LINT_USAGE);
    return 0;
  }
  let nodeMemoryCapacityBytes = DEFAULT_SETTINGS.nodeMemoryCapacityBytes;
  if (opts.nodeMemory !== null) {
    const bytes = parseNodeMemory(opts.nodeMemory);
    if (typeof bytes === 'string')
      throw new UsageError(`--node-memory '${opts.nodeMemory}' ${bytes}; e.g. --node-memory 32Gi`);
    nodeMemoryCapacityBytes = bytes;
  }
  const settings: AnalysisSettings = { ...DEFAULT_SETTINGS, severities: opts.severities, nodeMemoryCapacityBytes };
  let maxDocumentChars: number | undefined;
  if (opts.maxDocumentSize !== null) {
    const bytes = parseNodeMemory(opts.maxDocumentSize);
    if (typeof bytes === 'string')
      throw new UsageError(`--max-document-size '${opts.maxDocumentSize}' ${bytes}; e.g. --max-document-size 8Mi`);
    maxDocumentChars = Number(bytes);
  }

  const { inputs, problems } = await expandInputs(opts.paths.length > 0 ? opts.paths : ['.'], io.cwd);
  const linted: LintedFile[] = [];
  const texts: string[] = [];
  for (const input of inputs) {
    let text: string;
    try {
      text = await readInputText(input.path === null ? { stdin: io.stdin() } : { path: input.path }, MANIFEST);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push({ input: input.display, message: e.message });
      continue;
    }
    let analysis: FileAnalysis;
    try {
      analysis = analyzeText(text, settings, { maxDocumentChars });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      problems.push({
        input: input.display,
        message: `the analysis failed (${why.split('\n')[0]}); please report this with the file`,
      });
      continue;
    }
    linted.push({ file: input.display, analysis });
    texts.push(text);
  }

  // --context: the same files again with the observed usage of their workloads (the cluster-aware rules, and the
  // add-request/limit fixes from the observed values). Without it, or when the cluster gives nothing: static only.
  const seen = await lintObservations(opts, linted, io.stderr);
  if (seen && seen.observed.length > 0)
    linted.forEach((f, i) => {
      try {
        f.analysis = analyzeText(texts[i]!, settings, { maxDocumentChars, ...seen });
      } catch {
        // keep the static analysis: it succeeded on this text a moment ago
      }
    });

  reportProblems(problems, io.stderr);
  if (opts.format === 'json') io.stdout(formatJson(linted));
  else if (opts.format === 'sarif')
    io.stdout(
      formatSarif(linted, catalog, { name: 'oomscope', version, informationUri: TOOL_INFORMATION_URI }, io.cwd),
    );
  else io.stdout(formatText(linted, paletteFor(io.isTty, io.env)));

  const counts = countReport(linted);
  if (problems.length > 0) return 2;
  if (counts.errors > 0) return 1;
  if (opts.maxWarnings !== null && counts.warnings > opts.maxWarnings) {
    io.stderr(
      `oomscope lint: ${counts.warnings} warnings, more than --max-warnings ${opts.maxWarnings}; fix some or raise the limit\n`,
    );
    return 1;
  }
  return 0;
};

function reportProblems(problems: readonly InputProblem[], stderr: (t: string) => void): void {
  for (const p of problems) stderr(`oomscope lint: ${p.input}: ${p.message}\n`);
}
