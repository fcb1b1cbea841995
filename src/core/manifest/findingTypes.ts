/**
 * The manifest engine's data: positions, edits, findings and the analysis settings, shared with
 * its consumers (language server, CLI). Data only: no behaviour lives here.
 */
import { DEFAULT_NODE_MEMORY_CAPACITY_BYTES, SETTING_DEFAULTS } from '../../shared/settingsDefaults';

/** 0-based line and UTF-16 character, as LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A text replacement on the original text; `range` is in the coordinates of that text. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export type Severity = 'error' | 'warning' | 'information';
export type SeveritySetting = Severity | 'off';

/** Which object a finding belongs to (docs/cli.md `object`). */
export interface ObjectRef {
  kind: string;
  name: string | null;
  namespace: string | null;
  /** 0-based index of the YAML document in the file. */
  document: number;
}

export interface QuickFix {
  /** Shown in the editor's light-bulb menu, e.g. "Change to 128Mi". */
  title: string;
  edits: TextEdit[];
  /** The fix the editor should offer first. */
  isPreferred?: boolean;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  object: ObjectRef | null;
  container: string | null;
  fixes: QuickFix[];
}

/** Analysis settings, one typed object (the editor, the CLI and tests fill it). */
export interface AnalysisSettings {
  /** Per-rule severity override; a missing rule uses its default. */
  severities: Record<string, SeveritySetting>;
  maxLimitRequestRatio: number;
  /** Node memory capacity in bytes, for the Burstable oom_score_adj. */
  nodeMemoryCapacityBytes: bigint;
  /** Memory quantity the "add request/limit" fixes insert, e.g. "256Mi". */
  defaultMemory: string;
  /** The node of the open node panel (the extension's `oomscope/connectedNode`); none: the setting above is used. */
  connectedNode?: ConnectedNode;
}

/** Facts of a connected cluster node, for the hover: its memory and swap (never credentials). */
export interface ConnectedNode {
  context: string;
  node: string;
  capacityBytes: bigint;
  /** memorySwap.swapBehavior from configz ("NoSwap", "LimitedSwap"); null when configz was unreadable. */
  swapBehavior: string | null;
  swapCapacityBytes: bigint | null;
}

export const DEFAULT_SETTINGS: AnalysisSettings = {
  severities: {},
  maxLimitRequestRatio: SETTING_DEFAULTS['rules.maxLimitRequestRatio'].default,
  nodeMemoryCapacityBytes: DEFAULT_NODE_MEMORY_CAPACITY_BYTES,
  defaultMemory: SETTING_DEFAULTS['defaults.memory'].default,
};
