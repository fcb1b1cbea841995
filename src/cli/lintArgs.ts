/** `oomscope lint` arguments: its usage text and the parsed, validated options (through commandArgs.ts). */
import type { SeveritySetting } from '../core/manifest/findingTypes';
import { MAX_INPUT_TEXT } from '../shared/inputLimits';
import { parseCommandArgs } from './commandArgs';
import { UsageError } from './io';

export type LintFormat = 'text' | 'json' | 'sarif';

/** The parsed command line of `oomscope lint`. */
export interface LintOptions {
  help: boolean;
  format: LintFormat;
  /** the --node-memory text as given, or null for the default */
  nodeMemory: string | null;
  severities: Record<string, SeveritySetting>;
  /** null: warnings never fail the run */
  maxWarnings: number | null;
  /** the --max-document-size text as given, or null for the default (core/manifest/documentBudget.ts) */
  maxDocumentSize: string | null;
  paths: string[];
  /** --context: add the cluster-aware findings from this kube context (null: static lint only). */
  context: string | null;
  kubeconfig: string | null;
  /** --since as given (parsed by the command), null for the default 24h. */
  since: string | null;
  prometheus: string | null;
  noPrometheus: boolean;
}

export const LINT_USAGE = `Usage: oomscope lint [options] [PATH...]

Checks Kubernetes manifests for memory mistakes. PATH is a file, a folder (searched for
*.yaml and *.yml, skipping node_modules and .git) or - for standard input; default: .
Each input is UTF-8 or UTF-16 text of at most ${MAX_INPUT_TEXT}.

Options:
  --format text|json|sarif   output format (default: text)
  --node-memory QUANTITY     node memory capacity for the Burstable oom_score_adj (default: 16Gi)
  --rule RULE=SEVERITY       set a rule's severity: off, information, warning or error (repeatable)
  --max-warnings N           also exit 1 when there are more than N warnings
  --max-document-size SIZE   check YAML documents up to SIZE, e.g. 8Mi (default: 256Ki; larger
                             ones are skipped: checking one can take 200 times its size in memory)
  --context NAME             also judge each workload of the files by its observed usage in this kube
                             context (at most 50 workloads): the cluster-aware rules
  --kubeconfig FILE          kubeconfig file for --context (default: KUBECONFIG, else ~/.kube/config)
  --since DURATION           window of observed usage for --context, e.g. 6h, 24h, 7d (default: 24h)
  --prometheus URL           Prometheus base URL for --context (default: a Prometheus Service found in the cluster)
  --no-prometheus            with --context, do not look for Prometheus (kills from the API server only)
  -h, --help                 show this help

Exit codes: 0 no errors, 1 errors found (or more than N warnings), 2 usage error or unreadable input.
With --context, an unreachable or forbidden cluster prints one line on stderr and the exit code
follows the static findings.
`;

const SEVERITIES: readonly SeveritySetting[] = ['off', 'information', 'warning', 'error'];

/** Parses the arguments after `lint`; throws UsageError with a one-line message. */
export function parseLintArgs(argv: string[], knownRules: readonly string[]): LintOptions {
  const parsed = parseCommandArgs(
    'lint',
    argv,
    {
      help: { type: 'boolean', short: 'h' },
      format: { type: 'string', short: 'f' },
      'node-memory': { type: 'string' },
      rule: { type: 'string', multiple: true },
      'max-warnings': { type: 'string' },
      'max-document-size': { type: 'string' },
      context: { type: 'string' },
      kubeconfig: { type: 'string' },
      since: { type: 'string' },
      prometheus: { type: 'string' },
      'no-prometheus': { type: 'boolean' },
    },
    true,
  );
  const v = parsed.values;
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    throw new UsageError(`unknown --format '${format}'; use text, json or sarif`);
  }
  const severities: Record<string, SeveritySetting> = {};
  for (const spec of v.rule ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--rule '${spec}' is not RULE=SEVERITY; e.g. --rule memory-limit-missing=off`);
    const id = spec.slice(0, eq).trim();
    const sev = spec.slice(eq + 1).trim();
    if (!knownRules.includes(id)) {
      throw new UsageError(`unknown rule '${id}' in --rule; known rules: ${knownRules.join(', ')}`);
    }
    if (!(SEVERITIES as readonly string[]).includes(sev)) {
      throw new UsageError(`unknown severity '${sev}' for rule '${id}'; use off, information, warning or error`);
    }
    severities[id] = sev as SeveritySetting;
  }
  let maxWarnings: number | null = null;
  if (v['max-warnings'] !== undefined) {
    const raw = v['max-warnings'].trim();
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      throw new UsageError(`--max-warnings '${v['max-warnings']}' is not a whole number; e.g. --max-warnings 0`);
    }
    maxWarnings = Number(raw);
  }
  if (v.context === undefined)
    for (const k of ['kubeconfig', 'since', 'prometheus', 'no-prometheus'] as const)
      if (v[k] !== undefined) throw new UsageError(`--${k} is an option of --context; add --context NAME`);
  return {
    help: v.help ?? false,
    format,
    nodeMemory: v['node-memory'] ?? null,
    severities,
    maxWarnings,
    maxDocumentSize: v['max-document-size'] ?? null,
    paths: parsed.positionals,
    context: v.context ?? null,
    kubeconfig: v.kubeconfig ?? null,
    since: v.since ?? null,
    prometheus: v.prometheus ?? null,
    noPrometheus: v['no-prometheus'] ?? false,
  };
}
