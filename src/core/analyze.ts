import type { AnalysisSettings, Finding, ObjectRef, Position, QosClass, Range } from './types';

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
}

export function analyzeText(_text: string, _settings?: AnalysisSettings, _options?: AnalyzeOptions): FileAnalysis {
  throw new Error('not implemented');
}

/** Cheap test used to skip non-Kubernetes YAML: true when some document may be a k8s object (has apiVersion and kind keys). */
export function mayContainKubernetes(text: string): boolean {
  return /^\s*["']?apiVersion["']?\s*:/m.test(text) && /^\s*["']?kind["']?\s*:/m.test(text);
}

export interface HoverResult {
  markdown: string;
  range: Range;
}

export function hoverAt(_text: string, _position: Position, _settings?: AnalysisSettings, _options?: AnalyzeOptions): HoverResult | null {
  throw new Error('not implemented');
}
