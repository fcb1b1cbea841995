import type { JsonBytes, LintJson, LintJsonFinding, LintJsonObject } from '../shared/cliJson';
import type { LintedFile } from './lintReport';
import { sortedFindings } from './lintReport';

/** A byte count as docs/cli.md wants it: a JSON number when exact (|n| < 2^53), else a decimal string; null stays null. */
export function jsonBytes(n: bigint | null): JsonBytes {
  if (n === null) return null;
  const asNumber = Number(n);
  return Number.isSafeInteger(asNumber) ? asNumber : n.toString();
}

/** The `--format json` document of docs/cli.md (`version: 1`). */
export function lintJson(files: readonly LintedFile[]): LintJson {
  const findings: LintJsonFinding[] = [];
  const objects: LintJsonObject[] = [];
  for (const { file, analysis } of files) {
    for (const f of sortedFindings(analysis.findings)) {
      findings.push({
        file,
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        range: {
          start: { line: f.range.start.line, character: f.range.start.character },
          end: { line: f.range.end.line, character: f.range.end.character },
        },
        object: f.object
          ? { kind: f.object.kind, name: f.object.name, namespace: f.object.namespace, document: f.object.document }
          : null,
        container: f.container,
      });
    }
    for (const o of analysis.objects) {
      objects.push({
        file,
        document: o.document,
        kind: o.kind,
        name: o.name,
        namespace: o.namespace,
        qosClass: o.qosClass,
        containers: o.containers.map((c) => ({
          name: c.name,
          init: c.init,
          sidecar: c.sidecar,
          requests: { memory: jsonBytes(c.requests.memory) },
          limits: { memory: jsonBytes(c.limits.memory) },
          oomScoreAdj: c.oomScoreAdj,
        })),
      });
    }
  }
  return { version: 1, findings, objects };
}

export function formatJson(files: readonly LintedFile[]): string {
  return JSON.stringify(lintJson(files), null, 2) + '\n';
}
