/**
 * The containers of a pod by kind, each from its own status list (staging/src/k8s.io/api/core/v1/types.go
 * PodStatus: containerStatuses, initContainerStatuses, ephemeralContainerStatuses), and the memory limit in
 * force for each: status resources (in-place resize, KEP-1287, GA 1.35), else the pod-level limit when the
 * container has none of its own (KEP-2837, beta and on since 1.34; kubelet `getMemoryLimit` gives such a
 * container the pod's limit as memory.max), else the spec.
 */
import { wireMemoryBytes, type WireContainer, type WireContainerStatus, type WirePod } from '../access/wireTypes';
import type { ContainerType } from './nodeAnalysisTypes';

export interface PodContainer {
  name: string;
  type: ContainerType;
  spec: WireContainer | undefined;
  status: WireContainerStatus | undefined;
}

/** Regular, then init and sidecar (init containers with `restartPolicy: Always`, KEP-753), then ephemeral. */
export function podContainers(pod: WirePod): PodContainer[] {
  const out: PodContainer[] = [];
  const add = (
    specs: WireContainer[] | undefined,
    statuses: WireContainerStatus[] | undefined,
    type: (c: WireContainer | undefined) => ContainerType,
  ): void => {
    const names = new Set<string>();
    for (const c of specs ?? []) names.add(c.name ?? '');
    for (const s of statuses ?? []) names.add(s.name ?? '');
    for (const name of names) {
      const spec = specs?.find((c) => (c.name ?? '') === name);
      out.push({ name, type: type(spec), spec, status: statuses?.find((s) => (s.name ?? '') === name) });
    }
  };
  const st = pod.status;
  add(pod.spec?.containers, st?.containerStatuses, () => 'container');
  add(pod.spec?.initContainers, st?.initContainerStatuses, (c) => (c?.restartPolicy === 'Always' ? 'sidecar' : 'init'));
  add(pod.spec?.ephemeralContainers, st?.ephemeralContainerStatuses, () => 'ephemeral');
  return out;
}

export interface LimitInForce {
  /** The memory limit the container ran under; null when it had none (nor the pod). */
  limitBytes: number | null;
  /** Where it comes from: the container status (resize), the pod-level limit, the container spec. */
  source: 'status' | 'pod' | 'spec' | null;
  /** The container spec's own limit (the desired one after a resize). */
  specLimitBytes: number | null;
}

export function limitInForce(pod: WirePod, c: PodContainer): LimitInForce {
  const specLimitBytes = wireMemoryBytes(c.spec?.resources?.limits?.memory);
  const status = wireMemoryBytes(c.status?.resources?.limits?.memory);
  if (status !== null) return { limitBytes: status, source: 'status', specLimitBytes };
  const podLimit = wireMemoryBytes(pod.spec?.resources?.limits?.memory);
  if (specLimitBytes === null && podLimit !== null) return { limitBytes: podLimit, source: 'pod', specLimitBytes };
  return { limitBytes: specLimitBytes, source: specLimitBytes === null ? null : 'spec', specLimitBytes };
}
