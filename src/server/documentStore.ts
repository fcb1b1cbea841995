import type { Connection } from 'vscode-languageserver/node';
import { EditableDocument, type TextChange } from './editableDocument';
import { errorMessage, lspNotificationHandler, type Logger } from './errors';

export type { TextChange } from './editableDocument';

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

  listen(connection: Connection, events: DocumentEvents, log: Logger): void {
    connection.onDidOpenTextDocument(
      lspNotificationHandler(log, 'textDocument/didOpen', ({ textDocument: t }) => {
        if (typeof t?.uri !== 'string' || typeof t.text !== 'string')
          throw new TypeError('didOpen needs textDocument.uri and textDocument.text strings');
        const doc = new EditableDocument(
          t.uri,
          String(t.languageId),
          typeof t.version === 'number' ? t.version : 0,
          t.text,
        );
        this.docs.set(t.uri, doc);
        events.onOpen(doc);
      }),
    );
    connection.onDidChangeTextDocument(
      lspNotificationHandler(log, 'textDocument/didChange', ({ textDocument, contentChanges }) => {
        const uri = textDocument?.uri;
        const doc = typeof uri === 'string' ? this.docs.get(uri) : undefined;
        if (!doc || !Array.isArray(contentChanges) || contentChanges.length === 0) return;
        let changes: TextChange[];
        try {
          changes = doc.update(
            contentChanges,
            typeof textDocument.version === 'number' ? textDocument.version : doc.version + 1,
          );
        } catch (error) {
          // The editor applied a change the server cannot read: its copy now differs from the
          // editor's, so findings and quick fixes would land on the wrong text. Drop it until reopened.
          log.error(
            `textDocument/didChange of ${doc.uri} could not be applied (${errorMessage(error)}); the document is no longer checked until it is opened again`,
          );
          this.docs.delete(doc.uri);
          events.onClose(doc.uri);
          return;
        }
        events.onChange(doc, changes);
      }),
    );
    connection.onDidCloseTextDocument(
      lspNotificationHandler(log, 'textDocument/didClose', ({ textDocument }) => {
        const uri = textDocument?.uri;
        if (typeof uri === 'string' && this.docs.delete(uri)) events.onClose(uri);
      }),
    );
  }
}
