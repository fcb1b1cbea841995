/**
 * The manifest model: YAML documents → Kubernetes objects that carry a pod spec, with the
 * nodes and offsets the rules, fixes and hovers need. Offsets are string offsets into the
 * analyzed text; convert with LineIndex.
 */
import { isMap, isScalar, isSeq, Composer, YAMLMap, type Document, type Node, type Pair, type Scalar } from 'yaml';
import { memoryBytes, parseQuantity, type QuantityParse } from '../quantity';
import { YamlView, type Span } from './yamlView';
import { newCstParser } from './cstParser';
import { readBlockYaml } from './blockYaml';

/** A memory (or cpu) value under requests/limits. */
export interface QuantityField {
  pair: Pair;
  keyStart: number;
  keyEnd: number;
  /** The value node (null for `memory:` with nothing). */
  node: Node | null;
  valueStart: number;
  valueEnd: number;
  /** Source text of a scalar value; null when the value is null (`memory:`, `~`) or not a scalar. */
  text: string | null;
  /** The value is YAML null: the API server reads it as 0. */
  isNull: boolean;
  /** True for YAML numbers (plain scalars that resolved to a number). */
  yamlNumber: boolean;
  parse: QuantityParse | null;
  /** Byte value (rounded up), null when invalid, absent, negative or beyond what Kubernetes can use (see outOfRange). */
  bytes: bigint | null;
  whole: boolean;
  /** A valid quantity no memory request or limit can have: negative (validation rejects it) or above 2^63−1 bytes (Quantity.Value() overflows). */
  outOfRange: 'negative' | 'overflow' | null;
  /** Value contains template syntax (`{{`): unknown, never judged. */
  templated: boolean;
}

export interface ResourceList {
  keyStart: number;
  keyEnd: number;
  /** The map, or null when the value is not a map (then nothing can be said unless `empty`). */
  map: YAMLMap | null;
  /** The key has no value at all (`limits:`). */
  empty: boolean;
  pair: Pair;
  memory: QuantityField | null;
  cpu: QuantityField | null;
}

export interface ResourcesModel {
  pair: Pair;
  keyStart: number;
  keyEnd: number;
  map: YAMLMap | null;
  /** The key has no value at all (`resources:`). */
  empty: boolean;
  requests: ResourceList | null;
  limits: ResourceList | null;
}

export interface KeySpan {
  pair: Pair;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  value: string | null;
}

export interface EnvVar {
  name: string;
  value: string | null;
  valueStart: number;
  valueEnd: number;
}

export interface StringItem {
  value: string;
  start: number;
  end: number;
}

export interface ContainerModel {
  map: YAMLMap;
  name: string | null;
  nameStart: number;
  nameEnd: number;
  init: boolean;
  sidecar: boolean;
  resources: ResourcesModel | null;
  command: StringItem[];
  args: StringItem[];
  env: EnvVar[];
  volumeMounts: string[];
  qosClassKeys: KeySpan[];
}

export interface VolumeModel {
  name: string | null;
  nameStart: number;
  nameEnd: number;
  /** `emptyDir` key span, when the volume is an emptyDir. */
  emptyDir: { keyStart: number; keyEnd: number; medium: string | null; sizeLimit: QuantityField | null } | null;
}

export interface PodSpecModel {
  map: YAMLMap;
  containers: ContainerModel[];
  resources: ResourcesModel | null;
  volumes: VolumeModel[];
  qosClassKeys: KeySpan[];
  priorityClassName: string | null;
}

export interface ManifestObject {
  /** 0-based document index within the analyzed text. */
  document: number;
  kind: string;
  apiVersion: string;
  name: string | null;
  namespace: string | null;
  kindStart: number;
  kindEnd: number;
  labels: Record<string, string>;
  podLabels: Record<string, string>;
  selector: Record<string, string> | null;
  podSpec: PodSpecModel;
  /** Document contains template syntax: be conservative. */
  templated: boolean;
  /** The document's root node (for fixes: the indentation step of the file). */
  root: unknown;
  /** The document's aliases and merge keys (for fixes: which nodes are shared through an anchor). */
  view: YamlView;
  /** A known kind whose pod spec is missing while its keys sit higher up: the indentation was probably lost. */
  misplaced: MisplacedPodSpec | null;
}

/** Where a pod spec's key was found instead of where the kind wants it (`containers` at the top level of a Pod). */
export interface MisplacedPodSpec {
  /** The key as found, e.g. `containers` or `template`, and the path it was found at, e.g. `spec.containers`. */
  key: string;
  foundAt: string;
  /** Where the kind wants it, e.g. `spec.template.spec.containers`. */
  expected: string;
  keyStart: number;
  keyEnd: number;
}

export interface SkippedDoc {
  document: number;
  reason: string;
  start: number;
  end: number;
}

export interface ManifestModel {
  objects: ManifestObject[];
  skipped: SkippedDoc[];
}

type Via = Span | null;

/** A mapping as the model reads it, with the alias range it was reached through (null when in place). */
interface At {
  map: YAMLMap;
  via: Via;
}

/** One key of a mapping: its pair, its value with aliases resolved, and where to report about it. */
interface Field {
  pair: Pair;
  /** The value, an alias replaced by its target; null when absent. */
  value: unknown;
  keySpan: Span;
  valueSpan: Span;
  /** Where findings about anything inside the value go: the alias it was reached through, null when in place. */
  inner: Via;
}

interface Walk {
  view: YamlView;
  src: string;
}

function nodeRange(node: unknown, fallback: number): Span {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : [fallback, fallback];
}

function keyRange(pair: Pair): Span {
  return nodeRange(pair.key, 0);
}

function valueRange(pair: Pair): Span {
  if (pair.value) return nodeRange(pair.value, 0);
  const [, e] = keyRange(pair);
  return [e, e];
}

function field(w: Walk, at: At | null, key: string): Field | undefined {
  if (!at) return undefined;
  const e = w.view.lookup(at.map, key);
  if (!e) return undefined;
  const via = at.via ?? e.via;
  const raw = e.pair.value;
  return {
    pair: e.pair,
    value: w.view.deref(raw) ?? null,
    keySpan: via ?? keyRange(e.pair),
    valueSpan: via ?? valueRange(e.pair),
    inner: via ?? w.view.aliasSpan(raw),
  };
}

function mapOf(f: Field | undefined): At | null {
  return f && isMap(f.value) ? { map: f.value, via: f.inner } : null;
}

function mapAt(w: Walk, at: At | null, key: string): At | null {
  return mapOf(field(w, at, key));
}

/** The items of a sequence value, aliases resolved, each with its span and the via for its contents. */
function itemsOf(w: Walk, f: Field | undefined): Array<{ node: unknown; span: Span; inner: Via }> {
  if (!f || !isSeq(f.value)) return [];
  return f.value.items.map((raw) => ({
    node: w.view.deref(raw),
    span: f.inner ?? nodeRange(raw, 0),
    inner: f.inner ?? w.view.aliasSpan(raw),
  }));
}

function mapItems(w: Walk, f: Field | undefined): At[] {
  const out: At[] = [];
  for (const it of itemsOf(w, f)) if (isMap(it.node)) out.push({ map: it.node, via: it.inner });
  return out;
}

function stringOf(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const v = node.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(node.source ?? v);
  return null;
}

function stringAt(w: Walk, at: At | null, key: string): string | null {
  return stringOf(field(w, at, key)?.value);
}

function stringMap(w: Walk, at: At | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!at) return out;
  const entries = w.view.entries(at.map);
  for (const e of entries) {
    const v = stringOf(w.view.deref(e.pair.value));
    if (typeof e.key === 'string' && v !== null) out[e.key] = v;
  }
  return out;
}

function quantityField(f: Field, src: string): QuantityField {
  const [keyStart, keyEnd] = f.keySpan;
  const node = (f.value ?? null) as Node | null;
  const [valueStart, valueEnd] = f.valueSpan;
  let text: string | null = null;
  let yamlNumber = false;
  if (isScalar(node)) {
    const v = (node as Scalar).value;
    if (typeof v === 'string') text = v;
    else if (typeof v === 'number' || typeof v === 'bigint') {
      text = String(node.source ?? v);
      yamlNumber = true;
    } else if (v === null) text = null;
    else text = String(node.source ?? v);
  }
  const templated = src.slice(valueStart, valueEnd).includes('{{') || (text !== null && text.includes('{{'));
  const parse = text !== null ? parseQuantity(text) : null;
  let bytes: bigint | null = null;
  let whole = false;
  let outOfRange: QuantityField['outOfRange'] = null;
  if (parse?.ok) {
    const b = memoryBytes(parse.quantity);
    bytes = b.bytes;
    whole = b.whole;
    outOfRange = b.outOfRange;
  }
  const isNull = node === null || (isScalar(node) && (node as Scalar).value === null);
  return {
    pair: f.pair,
    keyStart,
    keyEnd,
    node,
    valueStart,
    valueEnd,
    text,
    isNull,
    yamlNumber,
    parse,
    bytes,
    whole,
    outOfRange,
    templated,
  };
}

function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || (isScalar(v) && v.value === null && (v.source ?? '') === '');
}

function resourceList(w: Walk, f: Field | undefined): ResourceList | null {
  if (!f) return null;
  const [keyStart, keyEnd] = f.keySpan;
  const at = mapOf(f);
  const mem = field(w, at, 'memory');
  const cpu = field(w, at, 'cpu');
  return {
    pair: f.pair,
    keyStart,
    keyEnd,
    map: at?.map ?? null,
    empty: isEmptyValue(f.value),
    memory: mem ? quantityField(mem, w.src) : null,
    cpu: cpu ? quantityField(cpu, w.src) : null,
  };
}

function resourcesModel(w: Walk, f: Field | undefined): ResourcesModel | null {
  if (!f) return null;
  const [keyStart, keyEnd] = f.keySpan;
  const [vs, ve] = f.valueSpan;
  // A template expression in place of the resources (`resources: {{ toYaml … }}`) is unknown, not missing.
  const at = isMap(f.value) && !w.src.slice(vs, ve).includes('{{') ? mapOf(f) : null;
  return {
    pair: f.pair,
    keyStart,
    keyEnd,
    map: at?.map ?? null,
    empty: isEmptyValue(f.value),
    requests: resourceList(w, field(w, at, 'requests')),
    limits: resourceList(w, field(w, at, 'limits')),
  };
}

function qosKeys(w: Walk, at: At): KeySpan[] {
  const f = field(w, at, 'qosClass');
  if (!f) return [];
  const [keyStart, keyEnd] = f.keySpan;
  const [valueStart, valueEnd] = f.valueSpan;
  return [{ pair: f.pair, keyStart, keyEnd, valueStart, valueEnd, value: stringOf(f.value) }];
}

function stringItems(w: Walk, f: Field | undefined): StringItem[] {
  const out: StringItem[] = [];
  for (const it of itemsOf(w, f)) {
    const v = stringOf(it.node);
    if (v === null) continue;
    out.push({ value: v, start: it.span[0], end: it.span[1] });
  }
  return out;
}

function containerModel(w: Walk, at: At, init: boolean): ContainerModel {
  const map = at.map;
  const nameField = field(w, at, 'name');
  const first = map.items[0];
  const [nameStart, nameEnd] = nameField
    ? nameField.valueSpan
    : (at.via ?? (first ? keyRange(first) : nodeRange(map, 0)));
  const env: EnvVar[] = [];
  for (const e of mapItems(w, field(w, at, 'env'))) {
    const n = stringAt(w, e, 'name');
    if (n === null) continue;
    const vf = field(w, e, 'value');
    const [valueStart, valueEnd] = vf ? vf.valueSpan : (e.via ?? nodeRange(e.map, 0));
    env.push({ name: n, value: vf ? stringOf(vf.value) : null, valueStart, valueEnd });
  }
  const mounts: string[] = [];
  for (const m of mapItems(w, field(w, at, 'volumeMounts'))) {
    const n = stringAt(w, m, 'name');
    if (n !== null) mounts.push(n);
  }
  return {
    map,
    name: stringOf(nameField?.value),
    nameStart,
    nameEnd,
    init,
    sidecar: init && stringAt(w, at, 'restartPolicy') === 'Always',
    resources: resourcesModel(w, field(w, at, 'resources')),
    command: stringItems(w, field(w, at, 'command')),
    args: stringItems(w, field(w, at, 'args')),
    env,
    volumeMounts: mounts,
    qosClassKeys: qosKeys(w, at),
  };
}

function volumes(w: Walk, spec: At): VolumeModel[] {
  const out: VolumeModel[] = [];
  for (const v of mapItems(w, field(w, spec, 'volumes'))) {
    const np = field(w, v, 'name');
    const [nameStart, nameEnd] = np ? np.valueSpan : (v.via ?? nodeRange(v.map, 0));
    const ep = field(w, v, 'emptyDir');
    let emptyDir: VolumeModel['emptyDir'] = null;
    if (ep) {
      const [keyStart, keyEnd] = ep.keySpan;
      const em = mapOf(ep);
      const sp = field(w, em, 'sizeLimit');
      emptyDir = {
        keyStart,
        keyEnd,
        medium: stringAt(w, em, 'medium'),
        sizeLimit: sp ? quantityField(sp, w.src) : null,
      };
    }
    out.push({ name: stringOf(np?.value), nameStart, nameEnd, emptyDir });
  }
  return out;
}

function podSpecModel(w: Walk, spec: At): PodSpecModel {
  const containers: ContainerModel[] = [];
  for (const [key, init] of [
    ['initContainers', true],
    ['containers', false],
  ] as const) {
    for (const c of mapItems(w, field(w, spec, key))) containers.push(containerModel(w, c, init));
  }
  return {
    map: spec.map,
    containers,
    resources: resourcesModel(w, field(w, spec, 'resources')),
    volumes: volumes(w, spec),
    qosClassKeys: qosKeys(w, spec),
    priorityClassName: stringAt(w, spec, 'priorityClassName'),
  };
}

/** Where the pod spec lives for this kind; null when the object carries none. */
function findPodSpec(w: Walk, kind: string, root: At): { spec: At; template: At | null } | null {
  const spec = mapAt(w, root, 'spec');
  if (kind === 'Pod') return spec ? { spec, template: null } : null;
  if (kind === 'PodTemplate') {
    const t = mapAt(w, root, 'template');
    const s = mapAt(w, t, 'spec');
    return s ? { spec: s, template: t } : null;
  }
  if (kind === 'CronJob') {
    const t = mapAt(w, mapAt(w, mapAt(w, spec, 'jobTemplate'), 'spec'), 'template');
    const s = mapAt(w, t, 'spec');
    return s ? { spec: s, template: t } : null;
  }
  const t = mapAt(w, spec, 'template');
  const s = mapAt(w, t, 'spec');
  if (!s) return null;
  if (field(w, s, 'containers') === undefined) return null;
  return { spec: s, template: t };
}

/** The built-in kinds that carry a pod spec, and where its `containers` live. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/**
 * A built-in kind without a pod spec whose `containers` (or an intermediate key such as `template`) sits at a
 * shallower level than the kind wants: what a paste that lost its indentation leaves (`kind: Pod`, an empty
 * `spec:`, `containers:` at the top level). Null when the pod spec is where it belongs, or nothing is out of place.
 */
function misplacedPodSpec(w: Walk, kind: string, root: At): MisplacedPodSpec | null {
  const path = POD_SPEC_PATHS[kind];
  if (!path) return null;
  const wanted = [...path, 'containers'];
  // Walk down the wanted path; at each level, look for a key of a deeper level that sits here instead.
  let at: At | null = root;
  for (let depth = 0; depth < wanted.length && at; depth++) {
    for (let deeper = depth + 1; deeper < wanted.length; deeper++) {
      const key = wanted[deeper]!;
      // `spec` appears at several levels: only a key that cannot belong here counts.
      if (key === wanted[depth]) continue;
      const f = field(w, at, key);
      if (!f || isEmptyValue(f.value)) continue;
      return {
        key,
        foundAt: [...wanted.slice(0, depth), key].join('.'),
        expected: wanted.slice(0, deeper + 1).join('.'),
        keyStart: f.keySpan[0],
        keyEnd: f.keySpan[1],
      };
    }
    at = mapAt(w, at, wanted[depth]!);
  }
  return null;
}

const PARSE_OPTIONS = { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, strict: false } as const;

/** Cheap per-document test: may this text be a k8s object with a pod spec? */
function mayCarryPodSpec(text: string): boolean {
  return text.includes('containers') && text.includes('kind') && text.includes('apiVersion');
}

function objectOf(w: Walk, root: At, document: number, templated: boolean, docRoot: unknown): ManifestObject | null {
  const kindField = field(w, root, 'kind');
  const kind = stringOf(kindField?.value);
  const apiVersion = stringAt(w, root, 'apiVersion');
  if (!kind || apiVersion === null || !kindField) return null;
  let found = findPodSpec(w, kind, root);
  // A Pod's spec may be there without its containers, which then sit higher up.
  const misplaced = !found || field(w, found.spec, 'containers') === undefined ? misplacedPodSpec(w, kind, root) : null;
  if (!found && !misplaced) return null;
  // A misplaced pod spec is reported by pod-spec-misplaced and not analyzed further: an empty spec stands in.
  if (misplaced) found = { spec: { map: new YAMLMap(), via: null }, template: null };
  if (!found) return null;
  const meta = mapAt(w, root, 'metadata');
  const [kindStart, kindEnd] = kindField.valueSpan;
  const spec = mapAt(w, root, 'spec');
  const selectorMap =
    spec && kind !== 'Pod'
      ? (mapAt(w, mapAt(w, spec, 'selector'), 'matchLabels') ??
        (kind === 'ReplicationController' ? mapAt(w, spec, 'selector') : null))
      : null;
  return {
    document,
    kind,
    apiVersion,
    name: stringAt(w, meta, 'name'),
    namespace: stringAt(w, meta, 'namespace'),
    kindStart,
    kindEnd,
    labels: stringMap(w, mapAt(w, meta, 'labels')),
    podLabels: found.template
      ? stringMap(w, mapAt(w, mapAt(w, found.template, 'metadata'), 'labels'))
      : stringMap(w, mapAt(w, meta, 'labels')),
    selector: selectorMap ? stringMap(w, selectorMap) : null,
    podSpec: podSpecModel(w, found.spec),
    templated,
    root: docRoot,
    view: w.view,
    misplaced,
  };
}

/**
 * Builds the model of one document slice (`text` usually holds one YAML document, see
 * splitYamlDocuments). `documentIndex` is the index given to the first document found.
 */
export function parseManifest(
  text: string,
  documentIndex: number,
  options: { blockReader?: boolean } = {},
): ManifestModel {
  const objects: ManifestObject[] = [];
  const skipped: SkippedDoc[] = [];
  if (!mayCarryPodSpec(text)) return { objects, skipped };
  const templated = text.includes('{{');
  // Plain block YAML (nearly every manifest) is read directly; anything else by yaml's Composer.
  const block = options.blockReader === false || templated ? null : readBlockYaml(text);
  if (block) {
    addObjects(block, documentIndex, text, templated, objects, skipped);
    return { objects, skipped };
  }
  const composer = new Composer(PARSE_OPTIONS);
  const docs: Document[] = [];
  for (const d of composer.compose(newCstParser().parse(text), true, text.length)) docs.push(d as Document);
  docs.forEach((doc, i) => {
    const document = documentIndex + i;
    if (doc.errors.length > 0) {
      // Only say so when the document looks like a Kubernetes object: other YAML is not ours.
      if (looksKubernetes(text, templated)) {
        const e = doc.errors[0]!;
        const at = e.pos[0];
        const reason = templated
          ? 'Helm/Go template syntax that does not parse as YAML: this document was not checked for memory settings'
          : e.code === 'RESOURCE_EXHAUSTION'
            ? 'nested too deeply for the YAML parser to read: this document was not checked for memory settings'
            : `YAML syntax error (${e.code}): this document was not checked for memory settings`;
        skipped.push({ document, reason, start: at, end: Math.max(at + 1, e.pos[1]) });
      }
      return;
    }
    addObjects(doc.contents, document, text, templated, objects, skipped);
  });
  return { objects, skipped };
}

/** Looks like a Kubernetes object (or a template of one): only then is a skipped document worth saying. */
function looksKubernetes(text: string, templated: boolean): boolean {
  return /(^|\n)\s*["']?kind["']?\s*:/.test(text) || templated;
}

function addObjects(
  root: unknown,
  document: number,
  text: string,
  templated: boolean,
  objects: ManifestObject[],
  skipped: SkippedDoc[],
): void {
  if (!isMap(root)) return;
  const view = new YamlView(root, text);
  if (view.problem) {
    if (looksKubernetes(text, templated))
      skipped.push({
        document,
        reason: `${view.problem.reason}; it was not checked for memory settings`,
        start: view.problem.start,
        end: view.problem.end,
      });
    return;
  }
  const w: Walk = { view, src: text };
  const top: At = { map: root, via: null };
  const add = (obj: At): void => {
    const o = objectOf(w, obj, document, templated, root);
    if (o) objects.push(o);
  };
  const rootKind = stringAt(w, top, 'kind');
  const items = field(w, top, 'items');
  // `kubectl get … -o yaml` output: a List whose items are the objects.
  if (rootKind !== null && rootKind.endsWith('List') && items && isSeq(items.value)) {
    for (const it of mapItems(w, items)) add(it);
  } else add(top);
}
