import type { Connection, TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { EditableDocument } from './editableDocument';

/** One edit in offsets of the text it was applied to; null for a whole-text replacement. */
export type TextChange = { start: number; end: number; newLength: number } | null;

/** What the store reports after each change. */
export interface DocumentEvents {
  onOpen(document: EditableDocument): void;
  onChange(document: EditableDocument, changes: TextChange[]): void;
  onClose(uri: string): void;
}

/**
 * The open documents, kept in sync incrementally, reporting each edit as offsets so the analysis
 * can find the YAML documents it touched without comparing the whole text.
 */
export class DocumentStore {
  private readonly docs = new Map<string, EditableDocument>();

  get(uri: string): EditableDocument | undefined {
    return this.docs.get(uri);
  }

  all(): EditableDocument[] {
    return [...this.docs.values()];
  }

  listen(connection: Connection, events: DocumentEvents): void {
    connection.onDidOpenTextDocument(({ textDocument: t }) => {
      const doc = new EditableDocument(t.uri, t.languageId, t.version, t.text);
      this.docs.set(t.uri, doc);
      events.onOpen(doc);
    });
    connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
      const doc = this.docs.get(textDocument.uri);
      if (!doc || contentChanges.length === 0) return;
      const changes = contentChanges.map((change) => applyChange(doc, change, textDocument.version));
      events.onChange(doc, changes);
    });
    connection.onDidCloseTextDocument(({ textDocument }) => {
      if (this.docs.delete(textDocument.uri)) events.onClose(textDocument.uri);
    });
  }
}

function applyChange(doc: EditableDocument, change: TextDocumentContentChangeEvent, version: number): TextChange {
  if (!('range' in change)) {
    doc.update([change], version);
    return null;
  }
  const start = doc.offsetAt(change.range.start);
  const end = doc.offsetAt(change.range.end);
  doc.update([change], version);
  return { start, end: Math.max(start, end), newLength: change.text.length };
}
