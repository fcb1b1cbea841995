import { formatBytes } from '../../quantity';
import { type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'emptydir-memory-unbounded';

export const emptyDirMemoryUnbounded = defineRule({
  id: ID,
  defaultSeverity: 'warning',
  title: 'Memory-backed emptyDir without a bound',
  firesWhen: 'an `emptyDir: {medium: Memory}` without `sizeLimit`, or larger than the limits of its users',
  quickFix: null,
  check(ctx: RuleContext): void {
    const spec = ctx.object.podSpec;
    const podLimit = spec.resources?.limits?.memory?.bytes ?? null;
    for (const v of spec.volumes) {
      const ed = v.emptyDir;
      if (!ed || ed.medium !== 'Memory') continue;
      const users = spec.containers.filter((c) => v.name !== null && c.volumeMounts.includes(v.name));
      let sum: bigint | null = 0n;
      for (const c of users) {
        const b = c.resources?.limits?.memory?.bytes ?? null;
        if (b === null) {
          sum = null;
          break;
        }
        sum += b;
      }
      const names = users.map((c) => `"${c.name ?? '?'}"`).join(', ');
      const containers = `${users.length === 1 ? 'container' : 'containers'} ${names}`;
      // Under no container limit, the pod-level limit (pod-level resources) holds the pages.
      const byPod = sum === null && podLimit !== null;
      if (sum === null) sum = podLimit;
      const chargedTo =
        users.length === 0
          ? 'the memory of the pod'
          : byPod
            ? `the pod-level memory limit (written by ${containers})`
            : `the memory limit of ${containers}`;
      const vname = v.name ?? '(unnamed)';
      if (!ed.sizeLimit) {
        // tmpfs pages are charged to the memory cgroup of the writer. Under a limit, filling the volume
        // OOM-kills inside it; with no limit anywhere above, the pod grows until the node runs short.
        const message =
          sum !== null && users.length > 0
            ? `emptyDir "${vname}" is tmpfs (medium: Memory) without sizeLimit: files written there are charged to ${chargedTo} (${formatBytes(sum)}), so filling it OOM-kills ${byPod ? 'a container of the pod' : 'the container'}.`
            : `emptyDir "${vname}" is tmpfs (medium: Memory) without sizeLimit, and ${users.length === 0 ? 'the pod has' : `${containers} ${users.length === 1 ? 'has' : 'have'}`} no memory limit to hold it: filling it grows the pod's memory until the node runs short, and then the kubelet evicts pods or the kernel OOM-kills under node pressure (by QoS class), not just this pod.`;
        ctx.report({ start: ed.keyStart, end: ed.keyEnd, message, container: users[0] ?? null });
        continue;
      }
      const size = ed.sizeLimit.bytes;
      if (size === null || sum === null || ed.sizeLimit.templated || users.length === 0) continue;
      if (size > sum) {
        const message = `emptyDir "${vname}" sizeLimit ${formatBytes(size)} is larger than ${chargedTo} (${formatBytes(sum)}): tmpfs pages count against that limit, so the container is OOM-killed before the volume is full.`;
        ctx.report({
          start: ed.sizeLimit.valueStart,
          end: ed.sizeLimit.valueEnd,
          message,
          container: users[0] ?? null,
        });
      }
    }
  },
});
