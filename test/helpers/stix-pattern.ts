// STIX 2.1 pattern syntax check for tests. No STIX pattern validator exists on npm, so this runs the lexer and parser
// that antlr-ng generated from the OASIS grammar (STIXPattern.g4, see ../fixtures/stix-pattern/README.md) on the
// antlr4ng runtime. It checks syntax only, as the grammar does: not object types, property names or value formats.
import { BaseErrorListener, CharStream, CommonTokenStream, Token, type ATNSimulator, type Recognizer } from 'antlr4ng';
import { STIXPatternLexer } from '../fixtures/stix-pattern/STIXPatternLexer.js';
import { STIXPatternParser } from '../fixtures/stix-pattern/STIXPatternParser.js';

class CollectErrors extends BaseErrorListener {
  readonly errors: string[] = [];
  constructor(private readonly source: string) {
    super();
  }
  override syntaxError<S extends Token, T extends ATNSimulator>(
    _recognizer: Recognizer<T>,
    _offendingSymbol: S | null,
    line: number,
    column: number,
    msg: string,
  ): void {
    this.errors.push(`${this.source} ${line}:${column} ${msg}`);
  }
}

/** Syntax errors of a STIX 2.1 pattern (lexer and parser, start rule `pattern`, which must reach EOF); [] if valid. */
export function stixPatternErrors(pattern: string): string[] {
  const lexerErrors = new CollectErrors('lexer');
  const parserErrors = new CollectErrors('parser');
  const lexer = new STIXPatternLexer(CharStream.fromString(pattern));
  lexer.removeErrorListeners();
  lexer.addErrorListener(lexerErrors);
  const tokens = new CommonTokenStream(lexer);
  const parser = new STIXPatternParser(tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(parserErrors);
  parser.pattern(); // the rule ends with EOF, so trailing input is reported as an error
  const errors = [...lexerErrors.errors, ...parserErrors.errors];
  if (errors.length === 0 && tokens.LA(1) !== Token.EOF) errors.push('parser: input not consumed up to EOF');
  return errors;
}
