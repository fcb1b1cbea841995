import { formatBytes } from '../../quantity';
import type { QuickFix } from '../findingTypes';
import { addMemoryFix } from './fixHelpers';
import { limitToAdd } from './memoryFixValues';
import { observedContainer, observedLimit } from './observedValues';
import { withoutRequestOrLimit } from './memoryRequestMissing';
import { missingRange, who, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'memory-limit-missing';

export const memoryLimitMissing = defineRule({
  id: ID,
  defaultSeverity: 'warning',
  title: 'Container without a memory limit',
  firesWhen: 'a container has no memory limit (and the pod has none)',
  quickFix: 'add a limit equal to the request',
  check(ctx: RuleContext): void {
    if (ctx.object.podSpec.resources?.limits?.memory) return;
    // A container with neither request nor limit gets one finding, memory-request-missing's (its message says
    // both are missing, its fix adds both), unless that rule is turned off.
    const covered = ctx.settings.severities['memory-request-missing'] === 'off' ? [] : withoutRequestOrLimit(ctx);
    for (const c of ctx.object.podSpec.containers) {
      if (covered.includes(c)) continue;
      if (c.resources && !c.resources.map && !c.resources.empty) continue;
      if (c.resources?.limits && !c.resources.limits.map && !c.resources.limits.empty) continue;
      if (c.resources?.limits?.memory) continue;
      const req = c.resources?.requests?.memory;
      const fixes: QuickFix[] = [];
      if (req && req.bytes !== null && req.text !== null && req.whole && !req.templated) {
        // With observed usage (lint --context), the limit that covers it when that is above the request.
        const obs = observedContainer(ctx, c);
        const seen = obs ? observedLimit(obs) : null;
        const base = seen && seen.bytes > req.bytes ? seen : null;
        const { text, reason } = limitToAdd(ctx, c, base ? base.text : req.text);
        const why = reason ?? base?.reason;
        const title = why
          ? `Add limits.memory: ${text} (${why}; the request is ${req.text})`
          : `Add limits.memory: ${text} (equal to the request)`;
        const fix = addMemoryFix(ctx, c, title, [['limits', text]]);
        if (fix) fixes.push(fix);
      }
      const q = ctx.qos.qosClass;
      const reqNote = req && req.bytes !== null ? ` beyond its ${formatBytes(req.bytes)} request` : '';
      const message = `${who(c)[0]!.toUpperCase()}${who(c).slice(1)} has no memory limit: it can grow${reqNote} until the node runs short of memory, and then the kubelet and the kernel pick the victim by QoS class (this pod is ${q}).`;
      const [start, end] = missingRange(c);
      ctx.report({ start, end, message, container: c, fixes });
    }
  },
});
