import { parseQuantity, quantityBytes } from '../core/quantity';
import { RULES } from '../core/manifest/rules/ruleCatalog';
import type { SarifRule } from './sarif';

export const TOOL_INFORMATION_URI = 'https://github.com/oomscope/oomscope';

/** The static rule catalog, as `--rule` validation and SARIF `tool.driver.rules` need it. */
export function lintRuleCatalog(): SarifRule[] {
  return RULES.map((r) => ({ id: r.id, defaultSeverity: r.defaultSeverity, title: r.title, helpUri: r.docs }));
}

/** `--node-memory` as a positive whole number of bytes, or why it is not one. */
export function parseNodeMemory(text: string): bigint | string {
  const parsed = parseQuantity(text);
  if (!parsed.ok) return `is not a Kubernetes quantity (${parsed.error})`;
  const { bytes, whole } = quantityBytes(parsed.quantity);
  if (bytes === null) return 'is too large';
  if (!whole) return 'is not a whole number of bytes';
  if (bytes <= 0n) return 'must be more than 0 bytes';
  return bytes;
}
