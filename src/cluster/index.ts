/**
 * The cluster layer's entry (bundled as dist/cluster.js; the extension loads it lazily).
 * Every function returns values; none throws for a cluster failure.
 */
export type * from './access/accessTypes';
export type * from './analysis/nodeAnalysisTypes';
export { loadKubeConfig, listContexts } from './access/kubeconfig';
export { listNodes } from './access/nodes';
export { closeConnections } from './access/http';
export { analyzeNodeOnce } from './analysis/nodePoll';
export { createNodePoller } from './analysis/poller';
export { matchManifestPods } from './analysis/manifestMatch';
export { nodesRunningManifest } from './analysis/manifestNodes';
export { recentKillCounts } from './analysis/killHistory';
export { killCoverage } from './analysis/coverage';
export { readKernelReportsWithConsent } from './analysis/nodeKernelLog';
export type * from './analysis/workloadTypes';
export { WORKLOAD_KINDS } from './analysis/workloadTypes';
export { analyzeWorkload, triageWorkloads } from './analysis/workloadApi';
export { observeWorkloads, toObservedWorkload, MAX_OBSERVED_WORKLOADS } from './analysis/observedWorkload';
