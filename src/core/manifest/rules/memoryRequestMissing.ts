import type { QuickFix } from '../findingTypes';
import type { ContainerModel } from '../model';
import { podLevelRequests } from '../qos';
import { addMemoryFix } from './fixHelpers';
import { limitToAdd } from './memoryFixValues';
import { observedContainer, observedLimit, observedRequest } from './observedValues';
import { missingRange, who, type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';

const ID = 'memory-request-missing';

/**
 * The containers memory-request-missing reports: neither a memory request nor a limit, for the container or the
 * pod. memory-limit-missing leaves these to it (one finding per container, with the fix that adds both).
 */
export function withoutRequestOrLimit(ctx: RuleContext): ContainerModel[] {
  if (ctx.object.podSpec.resources?.requests?.memory || ctx.object.podSpec.resources?.limits?.memory) return [];
  if (podLevelRequests(ctx.qosPod)?.memoryNanos != null) return [];
  return ctx.object.podSpec.containers.filter((c) => {
    if (c.resources && !c.resources.map && !c.resources.empty) return false;
    if (c.resources?.requests && !c.resources.requests.map && !c.resources.requests.empty) return false;
    if (c.resources?.limits && !c.resources.limits.map && !c.resources.limits.empty) return false;
    return !c.resources?.requests?.memory && !c.resources?.limits?.memory;
  });
}

/** With observed usage (lint --context): request = the p95, limit = what covers the peak (observedValues.ts). */
function observedFix(ctx: RuleContext, c: ContainerModel): QuickFix | null {
  const o = observedContainer(ctx, c);
  const req = o && ctx.observed ? observedRequest(o, ctx.observed.windowHours) : null;
  const lim = o ? observedLimit(o) : null;
  if (!req || !lim) return null;
  const { text, reason } = limitToAdd(ctx, c, lim.bytes > req.bytes ? lim.text : req.text);
  const title = `Add requests.memory: ${req.text} (${req.reason}) and limits.memory: ${text} (${reason ?? (lim.bytes > req.bytes ? lim.reason : 'equal to the request')})`;
  return addMemoryFix(ctx, c, title, [
    ['requests', req.text],
    ['limits', text],
  ]);
}

export const memoryRequestMissing = defineRule({
  id: ID,
  defaultSeverity: 'warning',
  title: 'Container without a memory request or limit',
  firesWhen: 'a container has neither memory request nor limit: the pod is BestEffort, `oom_score_adj` 1000',
  quickFix: 'add request and limit (`oomscope.defaults.memory`; with cluster history the observed p95 and peak + 15%)',
  check(ctx: RuleContext): void {
    for (const c of withoutRequestOrLimit(ctx)) {
      const fixes: QuickFix[] = [];
      const observed = observedFix(ctx, c);
      if (observed) {
        fixes.push(observed);
      } else {
        const { text: mem, reason } = limitToAdd(ctx, c, ctx.settings.defaultMemory);
        const fix = addMemoryFix(
          ctx,
          c,
          `Add requests.memory and limits.memory: ${mem}${reason ? ` (${reason})` : ''}`,
          [
            ['requests', mem],
            ['limits', mem],
          ],
        );
        if (fix) fixes.push(fix);
      }
      const q = ctx.qos.qosClass;
      const consequence =
        q === 'BestEffort'
          ? "the pod is BestEffort: first to be evicted under node memory pressure, and oom_score_adj 1000 makes it the kernel's first victim"
          : `under node memory pressure all of its usage counts as above request, which moves this ${q} pod up the eviction order`;
      const message = `${who(c)[0]!.toUpperCase()}${who(c).slice(1)} has no memory request or limit: the scheduler reserves no memory for it, and ${consequence}.`;
      const [start, end] = missingRange(c);
      ctx.report({ start, end, message, container: c, fixes });
    }
  },
});
