import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Hover,
  type HoverParams,
} from 'vscode-languageserver/node';
import { hoverAt } from '../core/analyze';
import type { QuickFix } from '../core/types';
import { DIAGNOSTIC_SOURCE } from '../shared/lspProtocol';
import { sameRange, shiftRange } from './diagnostics';
import { sliceAtLine } from './documentAnalysis';
import type { DocumentStore } from './documentStore';
import type { DiagnosticsScheduler } from './scheduler';
import type { SettingsStore } from './settings';

/** Hover and code actions, answered from the same analysis the diagnostics came from. */
export class Features {
  constructor(
    private readonly documents: DocumentStore,
    private readonly scheduler: DiagnosticsScheduler,
    private readonly settings: SettingsStore,
  ) {}

  async hover(params: HoverParams): Promise<Hover | null> {
    const uri = params.textDocument.uri;
    const snapshot = await this.scheduler.current(uri);
    if (!snapshot) return null;
    const i = sliceAtLine(snapshot.slices, params.position.line);
    if (i < 0) return null;
    const slice = snapshot.slices[i];
    const settings = await this.settings.get(uri);
    const position = { line: params.position.line - slice.startLine, character: params.position.character };
    const result = hoverAt(slice.text, position, settings.value);
    if (!result) return null;
    return { contents: { kind: 'markdown', value: result.markdown }, range: shiftRange(result.range, slice.startLine) };
  }

  async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const only = params.context.only;
    if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === CodeActionKind.Empty)) return [];
    const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string');
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
      const finding = snapshot.results[i].findings.find((f) => f.ruleId === diagnostic.code && sameRange(f.range, relative));
      if (!finding) continue;
      for (const fix of finding.fixes) actions.push(toCodeAction(fix, offset, uri, doc.version, diagnostic));
    }
    return actions;
  }
}

function toCodeAction(fix: QuickFix, lineOffset: number, uri: string, version: number, diagnostic: CodeActionParams['context']['diagnostics'][number]): CodeAction {
  const edits = fix.edits.map((e) => ({ range: shiftRange(e.range, lineOffset), newText: e.newText }));
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(fix.isPreferred ? { isPreferred: true } : {}),
    edit: { documentChanges: [{ textDocument: { uri, version }, edits }] },
  };
}
