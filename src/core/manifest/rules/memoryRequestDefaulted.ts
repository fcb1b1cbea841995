import { formatBytes } from '../../quantity';
import { missingRange, who, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'memory-request-defaulted';

export const memoryRequestDefaulted = defineRule({
  id: ID,
  defaultSeverity: 'information',
  title: 'Memory request defaulted from the limit',
  firesWhen: 'a memory limit without a request: the request defaults to the limit',
  quickFix: null,
  check(ctx: RuleContext): void {
    for (const c of ctx.object.podSpec.containers) {
      const lim = c.resources?.limits?.memory;
      if (!lim || lim.templated || lim.bytes === null) continue;
      if (c.resources?.requests?.memory) continue;
      if (c.resources?.requests && !c.resources.requests.map && !c.resources.requests.empty) continue;
      const message = `${who(c)[0]!.toUpperCase()}${who(c).slice(1)} sets a memory limit (${formatBytes(lim.bytes)}) but no memory request: at admission the request defaults to the limit, so the scheduler reserves ${formatBytes(lim.bytes)}; the pod's QoS class is ${ctx.qos.qosClass}.`;
      const [start, end] = missingRange(c);
      ctx.report({ start, end, message, container: c });
    }
  },
});
