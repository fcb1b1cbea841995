// The part of markdown-it (installed with @vscode/vsce, which renders the README with it) that the
// hover escaping tests use to render hover markdown as a client would.
declare module 'markdown-it' {
  export default class MarkdownIt {
    constructor(options?: { html?: boolean; linkify?: boolean });
    render(markdown: string): string;
    renderInline(markdown: string): string;
  }
}
