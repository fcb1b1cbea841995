/**
 * `yaml`'s CST parser without its per-token `process.env.LOG_TOKENS` lookup (a native property
 * read on every lexeme, about a third of the parse). Same tokens, same offsets: `next` below is
 * the body of `Parser.prototype.next` of yaml 2.9.1 (dist/parse/parser.js) minus that debug hook;
 * package.json pins `yaml` to ~2.9.1 so that a new minor version is a deliberate upgrade that
 * re-reads that function. If the installed `yaml` does not have the internals it relies on, the
 * stock Parser is used.
 */
import { CST, Parser } from 'yaml';

type Token = CST.Token;

interface ParserInternals {
  source: string;
  atScalar: boolean;
  atNewLine: boolean;
  indent: number;
  offset: number;
  type: CST.TokenType;
  onNewLine?: (offset: number) => void;
  step(): Generator<Token, void>;
  pop(error?: Token): Generator<Token, void>;
}

class QuietParser extends Parser {
  override *next(source: string): Generator<Token, void> {
    const self = this as unknown as ParserInternals;
    self.source = source;
    if (self.atScalar) {
      self.atScalar = false;
      yield* self.step();
      self.offset += source.length;
      return;
    }
    const type = CST.tokenType(source);
    if (!type) {
      const message = `Not a YAML token: ${source}`;
      yield* self.pop({ type: 'error', offset: self.offset, message, source });
      self.offset += source.length;
    } else if (type === 'scalar') {
      self.atNewLine = false;
      self.atScalar = true;
      self.type = 'scalar';
    } else {
      self.type = type;
      yield* self.step();
      switch (type) {
        case 'newline':
          self.atNewLine = true;
          self.indent = 0;
          if (self.onNewLine) self.onNewLine(self.offset + source.length);
          break;
        case 'space':
          if (self.atNewLine && source[0] === ' ') self.indent += source.length;
          break;
        case 'explicit-key-ind':
        case 'map-value-ind':
        case 'seq-item-ind':
          if (self.atNewLine) self.indent += source.length;
          break;
        case 'doc-mode':
        case 'flow-error-end':
          return;
        default:
          self.atNewLine = false;
      }
      self.offset += source.length;
    }
  }
}

function internalsPresent(): boolean {
  const p = Parser.prototype as unknown as Record<string, unknown>;
  const probe = new Parser() as unknown as Record<string, unknown>;
  return (
    typeof p.step === 'function' &&
    typeof p.pop === 'function' &&
    'atScalar' in probe &&
    'atNewLine' in probe &&
    'indent' in probe &&
    typeof CST.tokenType === 'function'
  );
}

const USE_QUIET = internalsPresent();

/** A new CST parser (tokens identical to `new Parser(onNewLine)`). */
export function newCstParser(onNewLine?: (offset: number) => void): Parser {
  return USE_QUIET ? new QuietParser(onNewLine) : new Parser(onNewLine);
}
