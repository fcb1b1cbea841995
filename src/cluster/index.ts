/**
 * The cluster layer's entry (bundled as dist/cluster.js; the extension loads it lazily).
 * Every function returns values; none throws for a cluster failure.
 */
export type * from './types';
export { loadKubeConfig, listContexts } from './kubeconfig';
export { listNodes } from './nodes';
export { closeConnections } from './http';
export { analyzeNodeOnce } from './analyzeNode';
export { createNodePoller } from './poller';
export { matchManifestPods } from './manifestMatch';
export { nodesRunningManifest } from './manifestNodes';
export { recentKillCounts } from './history';
export { toAnalyzeNodeJson, formatAnalyzeNodeText } from './output';
export { killCoverage } from './coverage';
