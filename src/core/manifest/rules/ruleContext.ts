import type { LineIndex } from '../lineIndex';
import type { EditContext } from '../edits';
import type { ContainerModel, ManifestObject, QuantityField, ResourcesModel } from '../model';
import type { QosPod, QosResult } from '../qos';
import type { AnalysisSettings, ObjectRef, QuickFix, Severity } from '../findingTypes';
import type { ObservedWorkload } from '../observed';

/** Base of the rule documentation links (Diagnostic.code href): `${RULE_DOCS_BASE}/${id}.md`. */
export const RULE_DOCS_BASE = 'https://github.com/oomscope/oomscope/blob/main/docs/rules';

/** What a rule sees for one object, and how it reports. Offsets are into `text`. */
export interface RuleContext {
  text: string;
  lines: LineIndex;
  settings: AnalysisSettings;
  object: ManifestObject;
  ref: ObjectRef;
  qos: QosResult;
  qosPod: QosPod;
  edit: EditContext;
  /** The object's observed usage (`lint --context`); null in static analysis, where the cluster-aware rules are silent. */
  observed: ObservedWorkload | null;
  report(finding: {
    start: number;
    end: number;
    message: string;
    container: ContainerModel | null;
    fixes?: QuickFix[];
    severity?: Severity;
  }): void;
}

export type RuleInput = 'manifest' | 'observed-usage';

/** One rule, as defineRule (defineRule.ts) builds it: its fields are documented there. */
export interface Rule {
  id: string;
  defaultSeverity: Severity;
  title: string;
  severityNote: string | null;
  firesWhen: string;
  quickFix: string | null;
  /** `manifest`: the YAML alone; `observed-usage`: reports only when the object's observed usage is given (defineRule.ts). */
  input: RuleInput;
  /** Documentation URL, `${RULE_DOCS_BASE}/${id}.md`. */
  docs: string;
  check(ctx: RuleContext): void;
}

/** A memory request or limit with its owner (null container = pod-level spec.resources). */
export interface MemoryField {
  field: QuantityField;
  kind: 'request' | 'limit';
  container: ContainerModel | null;
}

export function memoryFields(obj: ManifestObject): MemoryField[] {
  const out: MemoryField[] = [];
  const add = (res: ContainerModel['resources'], container: ContainerModel | null): void => {
    if (res?.requests?.memory) out.push({ field: res.requests.memory, kind: 'request', container });
    if (res?.limits?.memory) out.push({ field: res.limits.memory, kind: 'limit', container });
  };
  add(obj.podSpec.resources, null);
  for (const c of obj.podSpec.containers) add(c.resources, c);
  return out;
}

/** A quantity whose value is known: not templated, a whole number of bytes, with its source text. */
export type KnownQuantity = QuantityField & { bytes: bigint; text: string };

/** A memory request and limit both known, with the resources block and owner they belong to. */
export interface KnownMemoryPair {
  resources: ResourcesModel;
  container: ContainerModel | null;
  request: KnownQuantity;
  limit: KnownQuantity;
}

const known = (q: QuantityField | null | undefined): q is KnownQuantity =>
  !!q && !q.templated && q.bytes !== null && q.text !== null && q.whole;

/** Every owner (pod-level spec.resources, then each container) whose memory request and limit are both known. */
export function knownMemoryPairs(obj: ManifestObject): KnownMemoryPair[] {
  const owners: Array<[ResourcesModel | null, ContainerModel | null]> = [
    [obj.podSpec.resources, null],
    ...obj.podSpec.containers.map((c): [ResourcesModel | null, ContainerModel] => [c.resources, c]),
  ];
  const out: KnownMemoryPair[] = [];
  for (const [resources, container] of owners) {
    const request = resources?.requests?.memory;
    const limit = resources?.limits?.memory;
    if (resources && known(request) && known(limit)) out.push({ resources, container, request, limit });
  }
  return out;
}

export function who(c: ContainerModel | null): string {
  if (!c) return 'the pod-level spec.resources';
  const n = c.name === null ? '(unnamed)' : `"${c.name}"`;
  return c.sidecar ? `sidecar container ${n}` : c.init ? `init container ${n}` : `container ${n}`;
}

export function objectLabel(obj: ManifestObject): string {
  return obj.name ? `${obj.kind} "${obj.name}"` : `this ${obj.kind}`;
}

/** Range for "something is missing": the `resources` key, else the container's name. */
export function missingRange(c: ContainerModel): [number, number] {
  if (c.resources) return [c.resources.keyStart, c.resources.keyEnd];
  return [c.nameStart, c.nameEnd];
}
