/** A pod on the node as the wire gives it → the LivePod the verdicts, the panel and manifest matching read. */
import type { QosClass } from '../../core/qosClass';
import { wireMemoryBytes, type WirePod } from '../access/wireTypes';
import type { LivePod } from './nodeAnalysisTypes';

export function livePod(p: WirePod): LivePod {
  const q = p.status?.qosClass;
  const statuses = p.status?.containerStatuses ?? [];
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
    restarts: statuses.reduce((s, c) => s + (c.restartCount ?? 0), 0),
    containers: (p.spec?.containers ?? []).map((c) => {
      const st = statuses.find((s) => s.name === c.name);
      return {
        name: c.name ?? '',
        requestBytes: wireMemoryBytes(c.resources?.requests?.memory),
        limitBytes: wireMemoryBytes(c.resources?.limits?.memory),
        restartCount: st?.restartCount ?? 0,
        containerId: st?.containerID?.replace(/^[a-z-]+:\/\//, '') ?? null,
      };
    }),
  };
}
