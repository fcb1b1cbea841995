/** Building blocks of the fleet scenarios (fleet.ts, fleetScale.ts): nodes, owners, containers, QoS, labels. */
import { flat, uidOf, type Psi } from './fleetCurves';
import type { FleetContainer, FleetNode, FleetOwner, FleetPod } from './fleetTypes';
import { HOUR, MI } from './fleetTypes';

const GI = 1024 * MI;
export const calmNode = (): Psi => flat(0.4, 0.1);
export const calmContainer = (): Psi => flat(0.05, 0.01);

export function fleetNode(
  name: string,
  seed: number,
  now: number,
  psi: Psi,
  deletedMs: number | null = null,
): FleetNode {
  return {
    name,
    uid: uidOf(seed),
    present: deletedMs === null,
    createdMs: now - 10 * 24 * HOUR,
    deletedMs,
    capacityBytes: 16 * GI,
    allocatableBytes: 16 * GI - 1536 * MI,
    internalIP: `10.128.${Math.floor(seed / 250) % 250}.${(seed % 250) + 2}`,
    psi,
    majfaultPerSecond: 2,
  };
}

export function owner(kind: string, name: string, seed: number): FleetOwner {
  return { apiVersion: kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1', kind, name, uid: uidOf(seed) };
}

export function container(
  name: string,
  request: number | null,
  limit: number | null,
  workingSetMi: (t: number) => number,
  psi: Psi = calmContainer(),
  type: FleetContainer['type'] = 'container',
): FleetContainer {
  const q = (mi: number | null): string | null => (mi === null ? null : mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`);
  return {
    name,
    type,
    image: `registry.example.com/${name}:1.4.2`,
    request: q(request),
    limit: q(limit),
    requestBytes: request === null ? null : request * MI,
    limitBytes: limit === null ? null : limit * MI,
    workingSetMi,
    psi,
  };
}

export function qosOf(cs: FleetContainer[]): FleetPod['qos'] {
  if (cs.every((c) => c.request === null && c.limit === null)) return 'BestEffort';
  if (cs.every((c) => c.limitBytes !== null && (c.requestBytes ?? c.limitBytes) === c.limitBytes)) return 'Guaranteed';
  return 'Burstable';
}

/** A Job's pod labels (pkg/controller/job: the legacy and the batch.kubernetes.io/ forms, 1.27+). */
export function jobLabels(job: FleetOwner): Record<string, string> {
  return {
    'batch.kubernetes.io/controller-uid': job.uid,
    'batch.kubernetes.io/job-name': job.name,
    'controller-uid': job.uid,
    'job-name': job.name,
  };
}

/**
 * The kubelet's eviction message (pkg/kubelet/eviction/helpers.go: nodeLowMessageFmt "The node was low on resource:
 * %v. ", thresholdMetMessageFmt "Threshold quantity: %v, available: %v. ", containerMessageFmt "Container %s was
 * using %s, request is %s, has larger consumption of %v. ").
 */
export function evictionMessage(c: string, usageKi: number, request: string): string {
  return `The node was low on resource: memory. Threshold quantity: 100Mi, available: 91736Ki. Container ${c} was using ${usageKi}Ki, request is ${request}, has larger consumption of memory. `;
}
