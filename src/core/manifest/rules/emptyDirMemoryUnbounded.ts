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
      if (sum === null) sum = podLimit;
      const names = users.map((c) => `"${c.name ?? '?'}"`).join(', ');
      const chargedTo =
        users.length === 0
          ? 'the memory of the pod'
          : `the memory limit of ${users.length === 1 ? 'container' : 'containers'} ${names}`;
      const vname = v.name ?? '(unnamed)';
      if (!ed.sizeLimit) {
        const bound = sum !== null && users.length > 0 ? ` (${formatBytes(sum)})` : '';
        const message = `emptyDir "${vname}" is tmpfs (medium: Memory) without sizeLimit: files written there are charged to ${chargedTo}${bound}, so filling it OOM-kills the container.`;
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
