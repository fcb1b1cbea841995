/**
 * Label and field selectors as the API server parses them, for the fleet routes.
 * Labels: k8s.io/apimachinery/pkg/labels/selector.go Parse: requirements joined by ",", each `key`, `!key`,
 * `key=v`, `key==v`, `key!=v`, `key in (a,b)`, `key notin (a,b)`; `!=` and `notin` also match an absent key.
 * Fields: k8s.io/apimachinery/pkg/fields/selector.go ParseSelector: `f=v`, `f==v`, `f!=v` joined by ","; each resource
 * supports only its own field labels (pkg/registry/core/pod/strategy.go ToSelectableFields, event/strategy.go), any
 * other is a 400 "field label not supported".
 */

export type Labels = Record<string, string>;
export type Matcher<T> = (x: T) => boolean;

export class SelectorError extends Error {}

const KEY = /^([a-z0-9A-Z]([a-z0-9A-Z._/-]*[a-z0-9A-Z])?)$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas outside parentheses. */
function requirements(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim());
}

function checkKey(k: string, whole: string): string {
  if (!KEY.test(k)) throw new SelectorError(`unable to parse requirement: invalid label key "${k}" in "${whole}"`);
  return k;
}

function checkValue(v: string, whole: string): string {
  if (!VALUE.test(v)) throw new SelectorError(`unable to parse requirement: invalid label value "${v}" in "${whole}"`);
  return v;
}

/** A label selector's matcher; throws SelectorError with the API server's kind of message when it does not parse. */
export function parseLabelSelector(s: string | null): Matcher<Labels> {
  if (!s || !s.trim()) return () => true;
  const parts: Matcher<Labels>[] = [];
  for (const r of requirements(s)) {
    let m: RegExpExecArray | null;
    if (r === '') throw new SelectorError(`found '', expected: !, identifier, or 'end of string'`);
    if ((m = /^!\s*(\S+)$/.exec(r))) {
      const k = checkKey(m[1]!, s);
      parts.push((l) => !(k in l));
    } else if ((m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(r))) {
      const k = checkKey(m[1]!, s);
      const vals = new Set(m[3]!.split(',').map((v) => checkValue(v.trim(), s)));
      parts.push(m[2] === 'in' ? (l) => k in l && vals.has(l[k]!) : (l) => !(k in l) || !vals.has(l[k]!));
    } else if ((m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(r))) {
      const k = checkKey(m[1]!, s);
      const v = checkValue(m[3]!, s);
      parts.push(m[2] === '!=' ? (l) => l[k] !== v : (l) => l[k] === v);
    } else if ((m = /^(\S+)$/.exec(r)) && KEY.test(r)) {
      const k = r;
      parts.push((l) => k in l);
    } else throw new SelectorError(`unable to parse requirement: found unexpected text in "${r}"`);
  }
  return (l) => parts.every((p) => p(l));
}

/** A field selector's matcher over the resource's selectable fields (`fields(x)` gives them by label). */
export function parseFieldSelector<T>(
  s: string | null,
  supported: readonly string[],
  fields: (x: T) => Record<string, string>,
): Matcher<T> {
  if (!s || !s.trim()) return () => true;
  const parts: [string, boolean, string][] = [];
  for (const r of s.split(',')) {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(r);
    if (!m) throw new SelectorError(`invalid selector: '${s}'; can't understand '${r}'`);
    if (!supported.includes(m[1]!)) throw new SelectorError(`field label not supported: ${m[1]}`);
    parts.push([m[1]!, m[2] !== '!=', m[3]!]);
  }
  return (x) => {
    const f = fields(x);
    return parts.every(([k, eq, v]) => ((f[k] ?? '') === v) === eq);
  };
}

/** Field labels of pods (pkg/registry/core/pod/strategy.go PodToSelectableFields). */
export const POD_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.podIPs',
  'status.nominatedNodeName',
] as const;

/** Field labels of events (pkg/registry/core/event/strategy.go ToSelectableFields). */
export const EVENT_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
] as const;

/** Field labels of nodes (pkg/registry/core/node/strategy.go NodeToSelectableFields) and of most objects. */
export const NODE_FIELDS = ['metadata.name', 'spec.unschedulable'] as const;
export const META_FIELDS = ['metadata.name', 'metadata.namespace'] as const;
