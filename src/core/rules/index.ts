import type { Rule } from './types';
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

export type { Rule, RuleContext } from './types';
export { RULE_DOCS_BASE } from './types';

/** The static rule catalog (docs/rules/README.md order). */
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
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
