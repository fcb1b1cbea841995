/** The entry points of the workload analysis and the triage (docs/workload.md). */
export { analyzeWorkload } from './workloadAnalysis';
export { triageWorkloads } from './triage';
