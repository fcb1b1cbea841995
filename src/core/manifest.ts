/**
 * The manifest model: YAML documents → Kubernetes objects that carry a pod spec, with the
 * nodes and offsets the rules, fixes and hovers need. Offsets are string offsets into the
 * analyzed text; convert with LineIndex.
 */
import { isMap, isScalar, isSeq, Composer, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { parseQuantity, quantityBytes, type QuantityParse } from './quantity';
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
  /** Byte value (rounded up), null when invalid or absent. */
  bytes: bigint | null;
  whole: boolean;
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

function get(map: YAMLMap | null | undefined, key: string): Pair | undefined {
  if (!map) return undefined;
  for (const it of map.items) {
    const k = it.key;
    if (isScalar(k) ? k.value === key : k === key) return it;
  }
  return undefined;
}

function mapAt(map: YAMLMap | null | undefined, key: string): YAMLMap | null {
  const v = get(map, key)?.value;
  return isMap(v) ? v : null;
}

function stringOf(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const v = node.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(node.source ?? v);
  return null;
}

function stringAt(map: YAMLMap | null | undefined, key: string): string | null {
  return stringOf(get(map, key)?.value);
}

function nodeRange(node: unknown, fallback: number): [number, number] {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : [fallback, fallback];
}

function keyRange(pair: Pair): [number, number] {
  return nodeRange(pair.key, 0);
}

function valueRange(pair: Pair): [number, number] {
  if (pair.value) return nodeRange(pair.value, 0);
  const [, e] = keyRange(pair);
  return [e, e];
}

function stringMap(map: YAMLMap | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!map) return out;
  for (const it of map.items) {
    const k = isScalar(it.key) ? it.key.value : it.key;
    const v = stringOf(it.value);
    if (typeof k === 'string' && v !== null) out[k] = v;
  }
  return out;
}

function quantityField(pair: Pair, src: string): QuantityField {
  const [keyStart, keyEnd] = keyRange(pair);
  const node = (pair.value ?? null) as Node | null;
  const [valueStart, valueEnd] = node ? nodeRange(node, keyEnd) : [keyEnd, keyEnd];
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
  if (parse?.ok) {
    const b = quantityBytes(parse.quantity);
    bytes = b.bytes;
    whole = b.whole;
  }
  const isNull = node === null || (isScalar(node) && (node as Scalar).value === null);
  return { pair, keyStart, keyEnd, node, valueStart, valueEnd, text, isNull, yamlNumber, parse, bytes, whole, templated };
}

function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || (isScalar(v) && v.value === null && (v.source ?? '') === '');
}

function resourceList(pair: Pair | undefined, src: string): ResourceList | null {
  if (!pair) return null;
  const [keyStart, keyEnd] = keyRange(pair);
  const map = isMap(pair.value) ? pair.value : null;
  const mem = get(map, 'memory');
  const cpu = get(map, 'cpu');
  return { pair, keyStart, keyEnd, map, empty: isEmptyValue(pair.value), memory: mem ? quantityField(mem, src) : null, cpu: cpu ? quantityField(cpu, src) : null };
}

function resourcesModel(pair: Pair | undefined, src: string): ResourcesModel | null {
  if (!pair) return null;
  const [keyStart, keyEnd] = keyRange(pair);
  const [vs, ve] = valueRange(pair);
  // A template expression in place of the resources (`resources: {{ toYaml … }}`) is unknown, not missing.
  const map = isMap(pair.value) && !src.slice(vs, ve).includes('{{') ? pair.value : null;
  return { pair, keyStart, keyEnd, map, empty: isEmptyValue(pair.value), requests: resourceList(get(map, 'requests'), src), limits: resourceList(get(map, 'limits'), src) };
}

function qosKeys(map: YAMLMap): KeySpan[] {
  const p = get(map, 'qosClass');
  if (!p) return [];
  const [keyStart, keyEnd] = keyRange(p);
  const [valueStart, valueEnd] = valueRange(p);
  return [{ pair: p, keyStart, keyEnd, valueStart, valueEnd, value: stringOf(p.value) }];
}

function stringItems(node: unknown): StringItem[] {
  if (!isSeq(node)) return [];
  const out: StringItem[] = [];
  for (const it of node.items) {
    const v = stringOf(it);
    if (v === null) continue;
    const [start, end] = nodeRange(it, 0);
    out.push({ value: v, start, end });
  }
  return out;
}

function containerModel(map: YAMLMap, init: boolean, src: string): ContainerModel {
  const namePair = get(map, 'name');
  const first = map.items[0];
  const [nameStart, nameEnd] = namePair ? valueRange(namePair) : first ? keyRange(first) : nodeRange(map, 0);
  const env: EnvVar[] = [];
  const envSeq = get(map, 'env')?.value;
  if (isSeq(envSeq)) {
    for (const e of envSeq.items) {
      if (!isMap(e)) continue;
      const n = stringAt(e, 'name');
      if (n === null) continue;
      const vp = get(e, 'value');
      const [valueStart, valueEnd] = vp ? valueRange(vp) : nodeRange(e, 0);
      env.push({ name: n, value: vp ? stringOf(vp.value) : null, valueStart, valueEnd });
    }
  }
  const mounts: string[] = [];
  const vm = get(map, 'volumeMounts')?.value;
  if (isSeq(vm)) for (const m of vm.items) if (isMap(m)) { const n = stringAt(m, 'name'); if (n !== null) mounts.push(n); }
  return {
    map,
    name: stringAt(map, 'name'),
    nameStart,
    nameEnd,
    init,
    sidecar: init && stringAt(map, 'restartPolicy') === 'Always',
    resources: resourcesModel(get(map, 'resources'), src),
    command: stringItems(get(map, 'command')?.value),
    args: stringItems(get(map, 'args')?.value),
    env,
    volumeMounts: mounts,
    qosClassKeys: qosKeys(map),
  };
}

function volumes(spec: YAMLMap, src: string): VolumeModel[] {
  const seq = get(spec, 'volumes')?.value;
  if (!isSeq(seq)) return [];
  const out: VolumeModel[] = [];
  for (const v of seq.items) {
    if (!isMap(v)) continue;
    const np = get(v, 'name');
    const [nameStart, nameEnd] = np ? valueRange(np) : nodeRange(v, 0);
    const ep = get(v, 'emptyDir');
    let emptyDir: VolumeModel['emptyDir'] = null;
    if (ep) {
      const [keyStart, keyEnd] = keyRange(ep);
      const em = isMap(ep.value) ? ep.value : null;
      const sp = get(em, 'sizeLimit');
      emptyDir = { keyStart, keyEnd, medium: stringAt(em, 'medium'), sizeLimit: sp ? quantityField(sp, src) : null };
    }
    out.push({ name: stringAt(v, 'name'), nameStart, nameEnd, emptyDir });
  }
  return out;
}

function podSpecModel(spec: YAMLMap, src: string): PodSpecModel {
  const containers: ContainerModel[] = [];
  for (const [key, init] of [['initContainers', true], ['containers', false]] as const) {
    const seq = get(spec, key)?.value;
    if (!isSeq(seq)) continue;
    for (const c of seq.items) if (isMap(c)) containers.push(containerModel(c, init, src));
  }
  return { map: spec, containers, resources: resourcesModel(get(spec, 'resources'), src), volumes: volumes(spec, src), qosClassKeys: qosKeys(spec), priorityClassName: stringAt(spec, 'priorityClassName') };
}

/** Where the pod spec lives for this kind; null when the object carries none. */
function findPodSpec(kind: string, root: YAMLMap): { spec: YAMLMap; template: YAMLMap | null } | null {
  const spec = mapAt(root, 'spec');
  if (kind === 'Pod') return spec ? { spec, template: null } : null;
  if (kind === 'PodTemplate') {
    const t = mapAt(root, 'template');
    const s = mapAt(t, 'spec');
    return s ? { spec: s, template: t } : null;
  }
  if (kind === 'CronJob') {
    const t = mapAt(mapAt(mapAt(spec, 'jobTemplate'), 'spec'), 'template');
    const s = mapAt(t, 'spec');
    return s ? { spec: s, template: t } : null;
  }
  const t = mapAt(spec, 'template');
  const s = mapAt(t, 'spec');
  if (!s) return null;
  if (get(s, 'containers') === undefined) return null;
  return { spec: s, template: t };
}

const PARSE_OPTIONS = { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, strict: false } as const;

/** Cheap per-document test: may this text be a k8s object with a pod spec? */
function mayCarryPodSpec(text: string): boolean {
  return text.includes('containers') && text.includes('kind') && text.includes('apiVersion');
}

function objectOf(root: YAMLMap, document: number, text: string, templated: boolean, docRoot: unknown): ManifestObject | null {
  const kindPair = get(root, 'kind');
  const kind = stringOf(kindPair?.value);
  const apiVersion = stringAt(root, 'apiVersion');
  if (!kind || apiVersion === null || !kindPair) return null;
  const found = findPodSpec(kind, root);
  if (!found) return null;
  const meta = mapAt(root, 'metadata');
  const [kindStart, kindEnd] = valueRange(kindPair);
  const spec = mapAt(root, 'spec');
  const selectorMap = spec && kind !== 'Pod' ? mapAt(mapAt(spec, 'selector'), 'matchLabels') ?? (kind === 'ReplicationController' ? mapAt(spec, 'selector') : null) : null;
  return {
    document,
    kind,
    apiVersion,
    name: stringAt(meta, 'name'),
    namespace: stringAt(meta, 'namespace'),
    kindStart,
    kindEnd,
    labels: stringMap(mapAt(meta, 'labels')),
    podLabels: found.template ? stringMap(mapAt(mapAt(found.template, 'metadata'), 'labels')) : stringMap(mapAt(meta, 'labels')),
    selector: selectorMap ? stringMap(selectorMap) : null,
    podSpec: podSpecModel(found.spec, text),
    templated,
    root: docRoot,
  };
}

/**
 * Builds the model of one document slice (`text` usually holds one YAML document, see
 * splitYamlDocuments). `documentIndex` is the index given to the first document found.
 */
export function parseManifest(text: string, documentIndex: number, options: { blockReader?: boolean } = {}): ManifestModel {
  const objects: ManifestObject[] = [];
  const skipped: SkippedDoc[] = [];
  if (!mayCarryPodSpec(text)) return { objects, skipped };
  const templated = text.includes('{{');
  // Plain block YAML (nearly every manifest) is read directly; anything else by yaml's Composer.
  const block = options.blockReader === false || templated ? null : readBlockYaml(text);
  if (block) {
    addObjects(block, documentIndex, text, templated, objects);
    return { objects, skipped };
  }
  const composer = new Composer(PARSE_OPTIONS);
  const docs: Document[] = [];
  for (const d of composer.compose(newCstParser().parse(text), true, text.length)) docs.push(d as Document);
  docs.forEach((doc, i) => {
    const document = documentIndex + i;
    if (doc.errors.length > 0) {
      // Only say so when the document looks like a Kubernetes object: other YAML is not ours.
      if (/(^|\n)\s*["']?kind["']?\s*:/.test(text) || templated) {
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
    addObjects(doc.contents, document, text, templated, objects);
  });
  return { objects, skipped };
}

function addObjects(root: unknown, document: number, text: string, templated: boolean, objects: ManifestObject[]): void {
  if (!isMap(root)) return;
  const add = (obj: YAMLMap): void => {
    const o = objectOf(obj, document, text, templated, root);
    if (o) objects.push(o);
  };
  const rootKind = stringAt(root, 'kind');
  const items = get(root, 'items')?.value;
  // `kubectl get … -o yaml` output: a List whose items are the objects.
  if (rootKind !== null && rootKind.endsWith('List') && isSeq(items)) {
    for (const it of items.items) if (isMap(it)) add(it);
  } else add(root);
}
