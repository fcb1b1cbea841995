import { deleteKeyLines } from '../edits';
import type { KeySpan } from '../model';
import type { QuickFix } from '../findingTypes';
import type { YAMLMap } from 'yaml';
import { type RuleContext } from './ruleContext';
import { defineRule } from './defineRule';
import type { ContainerModel } from '../model';

const ID = 'qos-class-in-spec';

export const qosClassInSpec = defineRule({
  id: ID,
  defaultSeverity: 'error',
  title: 'qosClass set in spec',
  firesWhen: '`qosClass` written in the spec or a container (it is read-only status)',
  quickFix: 'remove the line',
  check(ctx: RuleContext): void {
    const keys: Array<[KeySpan, YAMLMap, ContainerModel | null]> = [
      ...ctx.object.podSpec.qosClassKeys.map((k) => [k, ctx.object.podSpec.map, null] as [KeySpan, YAMLMap, null]),
      ...ctx.object.podSpec.containers.flatMap((c) =>
        c.qosClassKeys.map((k) => [k, c.map, c] as [KeySpan, YAMLMap, ContainerModel]),
      ),
    ];
    for (const [k, map, container] of keys) {
      const actual = ctx.qos.qosClass;
      const fixes: QuickFix[] = [];
      const edit = deleteKeyLines(ctx.edit, map, k.pair);
      if (edit) fixes.push({ title: 'Remove the qosClass line', edits: [edit], isPreferred: true });
      const differs = k.value !== null && k.value !== actual ? ` (not ${k.value})` : '';
      const message = `qosClass is a read-only status field computed from requests and limits and cannot be set here: this pod will be ${actual}${differs} because ${ctx.qos.reason}.`;
      ctx.report({ start: k.keyStart, end: k.keyEnd, message, container, fixes });
    }
  },
});
