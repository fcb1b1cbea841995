import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Hover,
  type HoverParams,
  type Position,
} from 'vscode-languageserver/node';
import { hoverAt } from '../core/manifest/analyze';
import { MAX_DOCUMENT_CHARS } from '../core/manifest/documentBudget';
import type { QuickFix } from '../core/manifest/findingTypes';
import { DIAGNOSTIC_SOURCE } from '../shared/lspProtocol';
import { sameRange, shiftRange } from './diagnostics';
import { sliceAtLine } from './documentAnalysis';
import { documentAround } from './documentAround';
import type { DocumentStore } from './documentStore';
import { invalidParams } from './errors';
import type { DiagnosticsScheduler } from './scheduler';
import type { ObservationStore } from './observations';
import type { SettingsStore } from './serverSettings';

/**
 * Hover and code actions. Hover reads the YAML document under the cursor from the current text
 * (one document's parse, never the whole file's analysis; none when the analysis of this text
 * found no pod spec there); code actions come from the analysis the diagnostics came from, when
 * it is of the current version.
 */
export class HoverAndActions {
  constructor(
    private readonly documents: DocumentStore,
    private readonly scheduler: DiagnosticsScheduler,
    private readonly settings: SettingsStore,
    private readonly observations: ObservationStore,
  ) {}

  async hover(params: HoverParams): Promise<Hover | null> {
    if (!isTextDocument(params?.textDocument) || !isPosition(params.position)) {
      throw invalidParams('textDocument/hover needs textDocument.uri and a position {line, character} of numbers');
    }
    const uri = params.textDocument.uri;
    if (!this.documents.get(uri)) return null;
    const settings = await this.settings.get(uri);
    const doc = this.documents.get(uri);
    if (!doc) return null;
    const position = { line: Math.floor(params.position.line), character: Math.floor(params.position.character) };
    // Nothing to hover in a document whose analysis of this very text found no pod spec: no parse.
    const known = this.scheduler.latest(uri);
    const at = known ? sliceAtLine(known.slices, position.line) : -1;
    if (known && at >= 0 && known.results[at].objects === 0) return null;
    const region = documentAround(doc, position.line, MAX_DOCUMENT_CHARS);
    if (!region) return null;
    const obs = this.observations.snapshot();
    const result = hoverAt(region.text, position, settings.value, {
      lineOffset: region.startLine,
      observed: obs.observed,
      defaultNamespace: obs.defaultNamespace,
    });
    if (!result) return null;
    return { contents: { kind: 'markdown', value: result.markdown }, range: result.range };
  }

  async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    if (!isTextDocument(params?.textDocument) || !Array.isArray(params.context?.diagnostics)) {
      throw invalidParams('textDocument/codeAction needs textDocument.uri and context.diagnostics');
    }
    const only = Array.isArray(params.context.only) ? params.context.only : undefined;
    if (
      only &&
      !only.some(
        (kind) =>
          kind === CodeActionKind.QuickFix ||
          CodeActionKind.QuickFix.startsWith(`${kind}.`) ||
          kind === CodeActionKind.Empty,
      )
    )
      return [];
    const ours = params.context.diagnostics.filter(
      (d) =>
        d?.source === DIAGNOSTIC_SOURCE &&
        typeof d.code === 'string' &&
        isPosition(d.range?.start) &&
        isPosition(d.range.end),
    );
    if (ours.length === 0) return [];
    const uri = params.textDocument.uri;
    const snapshot = await this.scheduler.current(uri);
    const doc = this.documents.get(uri);
    if (!snapshot || !doc || snapshot.version !== doc.version) return [];
    const actions: CodeAction[] = [];
    for (const diagnostic of ours) {
      const i = sliceAtLine(snapshot.slices, diagnostic.range.start.line);
      if (i < 0) continue;
      const offset = snapshot.slices[i].startLine;
      const relative = shiftRange(diagnostic.range, -offset);
      const finding = snapshot.results[i].findings.find(
        (f) => f.ruleId === diagnostic.code && sameRange(f.range, relative),
      );
      if (!finding) continue;
      for (const fix of finding.fixes) actions.push(toCodeAction(fix, offset, uri, doc.version, diagnostic));
    }
    return actions;
  }
}

function isTextDocument(t: unknown): t is { uri: string } {
  return typeof (t as { uri?: unknown } | null)?.uri === 'string';
}

function isPosition(p: unknown): p is Position {
  const q = p as { line?: unknown; character?: unknown } | null;
  return typeof q?.line === 'number' && typeof q.character === 'number';
}

function toCodeAction(
  fix: QuickFix,
  lineOffset: number,
  uri: string,
  version: number,
  diagnostic: CodeActionParams['context']['diagnostics'][number],
): CodeAction {
  const edits = fix.edits.map((e) => ({ range: shiftRange(e.range, lineOffset), newText: e.newText }));
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(fix.isPreferred ? { isPreferred: true } : {}),
    edit: { documentChanges: [{ textDocument: { uri, version }, edits }] },
  };
}
