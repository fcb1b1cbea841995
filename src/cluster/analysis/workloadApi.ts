/**
 * The entry points of the workload analysis and the triage (docs/workload.md). Placeholder signatures while the
 * engine is built in workloadAnalysis.ts and triage.ts; replaced by re-exports from them.
 */
import type { ClusterAccess, Result } from '../access/accessTypes';
import type { AnalyzeWorkloadOptions, Triage, WorkloadAnalysis, WorkloadRef } from './workloadTypes';

export async function analyzeWorkload(
  _access: ClusterAccess,
  _ref: WorkloadRef,
  _opts: AnalyzeWorkloadOptions = {},
): Promise<Result<WorkloadAnalysis>> {
  return { ok: false, error: { kind: 'error', message: 'The workload analysis is not built yet.' } };
}

export async function triageWorkloads(
  _access: ClusterAccess,
  _opts: Omit<AnalyzeWorkloadOptions, 'historyDir'> = {},
): Promise<Result<Triage>> {
  return { ok: false, error: { kind: 'error', message: 'The triage is not built yet.' } };
}
