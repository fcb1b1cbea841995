import type { AnalysisSettings, Finding, ObjectRef, Position, Range, Severity } from './findingTypes';
import type { QosClass } from '../qosClass';
import { DEFAULT_SETTINGS } from './findingTypes';
import { splitYamlDocuments } from './splitDocuments';
import { LineIndex } from './lineIndex';
import { parseManifest } from './model';
import { computePodQos, containerOomScoreAdj } from './qos';
import { fieldValues, qosPodOf } from './qosInput';
import { detectStep, type EditContext } from './edits';
import { RULES } from './rules/ruleCatalog';
import type { RuleContext } from './rules/ruleContext';
import { hoverInSlice } from './hover';
import { MAX_DOCUMENT_CHARS, oversizedDocument } from './documentBudget';
import { observedFor, type ObservedWorkload } from './observed';

export { qosPodOf } from './qosInput';

/** One container of an analyzed object, with memory values in bytes (null when absent or unparseable). */
export interface ContainerSummary {
  name: string | null;
  init: boolean;
  sidecar: boolean;
  requests: { memory: bigint | null };
  limits: { memory: bigint | null };
  oomScoreAdj: number | null;
}

/** A Kubernetes object that carries a pod spec. */
export interface ObjectSummary extends ObjectRef {
  qosClass: QosClass | null;
  containers: ContainerSummary[];
  /** metadata.labels, and the pod template's labels / selector, for matching live pods */
  labels: Record<string, string>;
  podLabels: Record<string, string>;
  selector: Record<string, string> | null;
  /** range of the object's `kind` value (for "Go to manifest") */
  range: Range;
}

/** A document that was not analyzed (syntax error, Helm template). */
export interface SkippedDocument {
  document: number;
  reason: string;
  range: Range;
}

export interface FileAnalysis {
  findings: Finding[];
  objects: ObjectSummary[];
  skipped: SkippedDocument[];
}

export interface AnalyzeOptions {
  /** added to every document index */
  documentIndexBase?: number;
  /** added to every line of every range (text is a slice of a larger file) */
  lineOffset?: number;
  /** false: read every document with `yaml`'s Composer, never the fast block reader (tests compare the two) */
  blockReader?: boolean;
  /** Largest YAML document analyzed (characters); larger ones are skipped with one information diagnostic (see documentBudget.ts). */
  maxDocumentChars?: number;
  /**
   * Observed usage of workloads (`oomscope lint --context`): the cluster-aware rules judge the objects they match, and the
   * add-request/limit fixes use it. Absent: static analysis only.
   */
  observed?: readonly ObservedWorkload[];
  /** Namespace of an object that names none, for matching `observed` (default: `default`). */
  defaultNamespace?: string;
}

function resolveSeverity(settings: AnalysisSettings, id: string, computed: Severity): Severity | null {
  const s = settings.severities[id];
  if (s === 'off') return null;
  return s ?? computed;
}

function analyzeSlice(
  text: string,
  document: number,
  lineOffset: number,
  settings: AnalysisSettings,
  out: FileAnalysis,
  blockReader: boolean,
  maxChars: number,
  observe: (obj: ObjectRef) => ObservedWorkload | null,
): void {
  const oversized = oversizedDocument(text, maxChars);
  if (oversized) {
    if (oversized.report)
      out.skipped.push({ document, reason: oversized.reason, range: firstLineRange(text, lineOffset) });
    return;
  }
  const model = parseManifest(text, document, { blockReader });
  if (model.objects.length === 0 && model.skipped.length === 0) return;
  const lines = new LineIndex(text, lineOffset);
  for (const s of model.skipped)
    out.skipped.push({ document: s.document, reason: s.reason, range: lines.range(s.start, s.end) });
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  for (const obj of model.objects) {
    const ref: ObjectRef = { kind: obj.kind, name: obj.name, namespace: obj.namespace, document: obj.document };
    const qosPod = qosPodOf(obj);
    const qos = computePodQos(qosPod);
    const edit: EditContext = { text, lines, step: detectStep(obj.root, lines), eol, view: obj.view };
    const findings: Array<Finding & { offset: number }> = [];
    const observed = observe(ref);
    for (const rule of RULES) {
      if (settings.severities[rule.id] === 'off') continue;
      if (rule.input === 'observed-usage' && !observed) continue;
      const ctx: RuleContext = {
        text,
        lines,
        settings,
        object: obj,
        ref,
        qos,
        qosPod,
        edit,
        observed,
        report(f) {
          const severity = resolveSeverity(settings, rule.id, f.severity ?? rule.defaultSeverity);
          if (!severity) return;
          findings.push({
            ruleId: rule.id,
            severity,
            message: f.message,
            range: lines.range(f.start, f.end),
            object: ref,
            container: f.container?.name ?? null,
            fixes: f.fixes ?? [],
            offset: f.start,
          });
        },
      };
      rule.check(ctx);
    }
    findings.sort((a, b) => a.offset - b.offset);
    for (const { offset: _o, ...f } of findings) out.findings.push(f);
    // No pod spec where the kind wants one (pod-spec-misplaced said so): not an object with a pod spec.
    if (obj.misplaced) continue;
    out.objects.push({
      ...ref,
      qosClass: qos.qosClass,
      containers: obj.podSpec.containers.map((c, i) => ({
        name: c.name,
        init: c.init,
        sidecar: c.sidecar,
        requests: { memory: fieldValues(c.resources?.requests?.memory).bytes },
        limits: { memory: fieldValues(c.resources?.limits?.memory).bytes },
        oomScoreAdj: containerOomScoreAdj(qosPod, qos.qosClass, i, settings.nodeMemoryCapacityBytes).value,
      })),
      labels: obj.labels,
      podLabels: obj.podLabels,
      selector: obj.selector,
      range: lines.range(obj.kindStart, obj.kindEnd),
    });
  }
}

/** Analyzes a (multi-document) YAML text: findings, objects that carry a pod spec, skipped documents. Never throws. */
export function analyzeText(
  text: string,
  settings: AnalysisSettings = DEFAULT_SETTINGS,
  options: AnalyzeOptions = {},
): FileAnalysis {
  const out: FileAnalysis = { findings: [], objects: [], skipped: [] };
  const base = options.documentIndexBase ?? 0;
  const lineOffset = options.lineOffset ?? 0;
  const list = options.observed ?? [];
  const ns = options.defaultNamespace ?? 'default';
  const observe = (obj: ObjectRef): ObservedWorkload | null => (list.length ? observedFor(list, obj, ns) : null);
  for (const slice of splitYamlDocuments(text)) {
    try {
      analyzeSlice(
        slice.text,
        base + slice.index,
        lineOffset + slice.startLine,
        settings,
        out,
        options.blockReader !== false,
        options.maxDocumentChars ?? MAX_DOCUMENT_CHARS,
        observe,
      );
    } catch (e) {
      const lines = new LineIndex(slice.text, lineOffset + slice.startLine);
      out.skipped.push({
        document: base + slice.index,
        reason: `internal error while analyzing this document: ${e instanceof Error ? e.message : String(e)}`,
        range: lines.range(0, 0),
      });
    }
  }
  return out;
}

/** The first line of a document (without building a line index of all of it: it may be 50 MB). */
function firstLineRange(text: string, lineOffset: number): Range {
  const eol = text.search(/[\r\n]/);
  const end = eol < 0 ? text.length : eol;
  return { start: { line: lineOffset, character: 0 }, end: { line: lineOffset, character: end } };
}

/** Cheap test used to skip non-Kubernetes YAML: true when the text (or the documents of a text) has apiVersion and kind keys. */
export function mayContainKubernetes(text: string | readonly string[]): boolean {
  const parts = typeof text === 'string' ? [text] : text;
  return parts.some((t) => API_VERSION_KEY.test(t)) && parts.some((t) => KIND_KEY.test(t));
}

const API_VERSION_KEY = /(^|[\s{,])["']?apiVersion["']?\s*:/;
const KIND_KEY = /(^|[\s{,])["']?kind["']?\s*:/;

export interface HoverResult {
  markdown: string;
  range: Range;
}

/** Hover for `resources`, `requests`, `limits`, `memory`, a quantity value or a container name; null elsewhere. */
export function hoverAt(
  text: string,
  position: Position,
  settings: AnalysisSettings = DEFAULT_SETTINGS,
  options: AnalyzeOptions = {},
): HoverResult | null {
  const lineOffset = options.lineOffset ?? 0;
  const line = position.line - lineOffset;
  if (line < 0) return null;
  const slices = splitYamlDocuments(text);
  let slice = slices[0];
  for (const s of slices) if (s.startLine <= line) slice = s;
  if (!slice || oversizedDocument(slice.text, options.maxDocumentChars ?? MAX_DOCUMENT_CHARS)) return null;
  const observed = options.observed ?? [];
  // No catch-all: an exception here is a bug, and the server's request wrapper (server/errors.ts) logs it.
  return hoverInSlice(
    slice.text,
    { line: position.line, character: position.character },
    (options.documentIndexBase ?? 0) + slice.index,
    lineOffset + slice.startLine,
    settings,
    (obj) => (observed.length ? observedFor(observed, obj, options.defaultNamespace ?? 'default') : null),
  );
}
