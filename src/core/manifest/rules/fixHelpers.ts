import { addEntries, keyTree } from '../edits';
import type { ContainerModel } from '../model';
import type { QuickFix } from '../findingTypes';
import type { RuleContext } from './ruleContext';

/** Adds memory values under the container's `resources` (creating what is missing). */
export function addMemoryFix(
  ctx: RuleContext,
  c: ContainerModel,
  title: string,
  paths: Array<['requests' | 'limits', string]>,
  preferred = true,
): QuickFix | null {
  const values = paths.map(([, v]) => [v, /^[A-Za-z0-9.+-]+$/.test(v) ? v : JSON.stringify(v)] as const);
  if (values.some(([raw]) => raw.length === 0)) return null;
  const tree = keyTree(...paths.map(([k], i) => [['resources', k, 'memory'], values[i]![1]] as [string[], string]));
  const edits = addEntries(ctx.edit, c.map, tree);
  if (!edits || edits.length === 0) return null;
  return { title, edits, isPreferred: preferred };
}
