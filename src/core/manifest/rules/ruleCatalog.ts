import type { Rule } from './ruleContext';
import { memoryQuantityInvalid } from './memoryQuantityInvalid';
import { memoryQuantityFractional } from './memoryQuantityFractional';
import { memoryValueImplausible } from './memoryValueImplausible';
import { memoryLimitBelowRequest } from './memoryLimitBelowRequest';
import { memoryLimitMissing } from './memoryLimitMissing';
import { memoryRequestMissing } from './memoryRequestMissing';
import { memoryRequestDefaulted } from './memoryRequestDefaulted';
import { memoryLimitRequestRatio } from './memoryLimitRequestRatio';
import { qosClassInSpec } from './qosClassInSpec';
import { heapExceedsLimit } from './heapExceedsLimit';
import { emptyDirMemoryUnbounded } from './emptyDirMemoryUnbounded';
import { podSpecMisplaced } from './podSpecMisplaced';
import { oomKilledRecently } from './oomKilledRecently';
import { limitBelowObservedUsage } from './limitBelowObservedUsage';
import { requestBelowObservedUsage } from './requestBelowObservedUsage';

export type { Rule, RuleContext } from './ruleContext';
export { RULE_DOCS_BASE } from './ruleContext';
export { defineRule, type RuleDefinition } from './defineRule';

/**
 * The rule catalogue, in the order of the rule tables: the static rules, then the cluster-aware ones (`input:
 * 'observed-usage'`), which report only when observed usage is given (`oomscope lint --context`). scripts/generateCatalog.mjs writes
 * package.json's `oomscope.severity.*` settings and the rule tables of README.md and
 * docs/rules/README.md from it.
 */
export const RULES: readonly Rule[] = [
  memoryQuantityInvalid,
  memoryQuantityFractional,
  memoryValueImplausible,
  memoryLimitBelowRequest,
  memoryLimitMissing,
  memoryRequestMissing,
  memoryRequestDefaulted,
  memoryLimitRequestRatio,
  qosClassInSpec,
  heapExceedsLimit,
  emptyDirMemoryUnbounded,
  podSpecMisplaced,
  oomKilledRecently,
  limitBelowObservedUsage,
  requestBelowObservedUsage,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
