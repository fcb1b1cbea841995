/** A pod on the node as the wire gives it → the LivePod the verdicts, the panel and manifest matching read. */
import type { QosClass } from '../../core/qosClass';
import { wireMemoryBytes, type WirePod } from '../access/wireTypes';
import type { LivePod } from './nodeAnalysisTypes';
import { limitInForce, podContainers } from './podContainers';

export function livePod(p: WirePod): LivePod {
  const q = p.status?.qosClass;
  const statuses = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])];
  return {
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    uid: p.metadata?.uid ?? '',
    qosClass: q === 'Guaranteed' || q === 'Burstable' || q === 'BestEffort' ? (q as QosClass) : null,
    labels: p.metadata?.labels ?? {},
    ownerReferences: (p.metadata?.ownerReferences ?? []).map((o) => ({
      apiVersion: o.apiVersion ?? '',
      kind: o.kind ?? '',
      name: o.name ?? '',
      uid: o.uid ?? '',
      controller: o.controller === true,
    })),
    phase: p.status?.phase ?? null,
    reason: p.status?.reason ?? null,
    podLimitBytes: wireMemoryBytes(p.spec?.resources?.limits?.memory),
    restarts: statuses.reduce((s, c) => s + (c.restartCount ?? 0), 0),
    // Regular containers and sidecars run side by side; the limit is the one in force (podContainers.ts).
    containers: podContainers(p)
      .filter((c) => c.type === 'container' || c.type === 'sidecar')
      .map((c) => ({
        name: c.name,
        containerType: c.type as 'container' | 'sidecar',
        requestBytes:
          wireMemoryBytes(c.status?.resources?.requests?.memory) ??
          wireMemoryBytes(c.spec?.resources?.requests?.memory),
        limitBytes: limitInForce(p, c).limitBytes,
        restartCount: c.status?.restartCount ?? 0,
        containerId: c.status?.containerID?.replace(/^[a-z-]+:\/\//, '') ?? null,
      })),
  };
}
