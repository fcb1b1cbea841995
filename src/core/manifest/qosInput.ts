import type { ManifestObject, QuantityField, ResourcesModel } from './model';
import type { QosPod, ResourceValues } from './qos';
import { quantityNanos } from '../quantity';

/** Nano-units and bytes of a quantity field, null when absent, invalid or templated. */
export function fieldValues(f: QuantityField | null | undefined): { nanos: bigint | null; bytes: bigint | null } {
  if (!f || f.templated || !f.parse?.ok) return { nanos: null, bytes: null };
  return { nanos: quantityNanos(f.parse.quantity), bytes: f.bytes };
}

function values(res: ResourcesModel | null, which: 'requests' | 'limits'): ResourceValues {
  const list = res?.[which] ?? null;
  const mem = fieldValues(list?.memory);
  const cpu = fieldValues(list?.cpu);
  return { cpuNanos: cpu.nanos, memoryNanos: mem.nanos, memoryBytes: mem.bytes };
}

/** The QoS input of an object (values as the API server would read them). */
export function qosPodOf(obj: ManifestObject): QosPod {
  const pr = obj.podSpec.resources;
  const podRequests = values(pr, 'requests');
  const podLimits = values(pr, 'limits');
  const set = (v: ResourceValues): boolean => v.cpuNanos !== null || v.memoryNanos !== null;
  return {
    containers: obj.podSpec.containers.map((c) => ({
      name: c.name,
      init: c.init,
      sidecar: c.sidecar,
      requests: values(c.resources, 'requests'),
      limits: values(c.resources, 'limits'),
    })),
    podRequests: set(podRequests) ? podRequests : null,
    podLimits: set(podLimits) ? podLimits : null,
    priorityClassName: obj.podSpec.priorityClassName,
  };
}
