import { QboFaults } from './faults.js';

/**
 * Parser for the QuickBooks Online query language subset the sandbox speaks:
 *
 *   SELECT * | count(*) FROM <Entity>
 *     [WHERE <field> <op> <value> [AND ...]*]
 *     [ORDERBY <field> [ASC|DESC] [, ...]]
 *     [STARTPOSITION n] [MAXRESULTS n]
 *
 * with ops `=`, `!=`, `<`, `>`, `<=`, `>=`, `LIKE`, `IN (v, ...)`. Keywords are case-insensitive;
 * strings are single-quoted with `\'` escaping a quote. OR is not part of the language (as in QBO).
 * Errors are QboFaults with code 4000 and a `QueryParserError: …` detail.
 */
export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean };

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE';

export type Condition =
  | { readonly field: string; readonly operator: ComparisonOperator; readonly value: Literal }
  | { readonly field: string; readonly operator: 'IN'; readonly values: readonly Literal[] };

export interface OrderBy {
  readonly field: string;
  readonly direction: 'ASC' | 'DESC';
}

export interface ParsedQuery {
  readonly select: 'all' | 'count';
  readonly entity: string;
  readonly where: readonly Condition[];
  readonly orderBy: readonly OrderBy[];
  readonly startPosition: number | undefined;
  readonly maxResults: number | undefined;
}

type TokenKind = 'IDENTIFIER' | 'STRING' | 'NUMBER' | 'OPERATOR' | 'PUNCT' | 'EOF' | 'ERROR';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Decoded value of a STRING token. */
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

const KEYWORDS = new Set(['select', 'from', 'where', 'and', 'or', 'in', 'like', 'orderby', 'order', 'by', 'asc', 'desc', 'startposition', 'maxresults', 'count', 'true', 'false']);

/**
 * Splits the statement into tokens. A lexical error becomes an ERROR token ending the list, so the
 * parser reports whichever problem comes first, as QBO's (lazy) parser does.
 */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const push = (kind: TokenKind, text: string, start: number, value = text): void => {
    tokens.push({ kind, text, value, line, column: start - lineStart + 1 });
  };
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (ch === '\n') {
      i += 1;
      line += 1;
      lineStart = i;
      continue;
    }
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const start = i;
    if (/[A-Za-z_]/.test(ch)) {
      while (i < input.length && /[A-Za-z0-9_.]/.test(input[i] ?? '')) i += 1;
      push('IDENTIFIER', input.slice(start, i), start);
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(input[i + 1] ?? ''))) {
      i += 1;
      while (i < input.length && /[0-9.]/.test(input[i] ?? '')) i += 1;
      push('NUMBER', input.slice(start, i), start);
      continue;
    }
    if (ch === "'") {
      let value = '';
      i += 1;
      let closed = false;
      while (i < input.length) {
        const c = input[i] ?? '';
        if (c === '\\' && i + 1 < input.length) {
          value += input[i + 1] ?? '';
          i += 2;
          continue;
        }
        if (c === "'") {
          closed = true;
          i += 1;
          break;
        }
        value += c;
        i += 1;
      }
      if (!closed) {
        push('ERROR', `Lexical error at line ${line}, column ${start - lineStart + 1}. The string starting here is never closed with a single quote (').`, start);
        return tokens;
      }
      push('STRING', input.slice(start, i), start, value);
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === '<=' || two === '>=' || two === '!=' || two === '<>') {
      i += 2;
      push('OPERATOR', two === '<>' ? '!=' : two, start);
      continue;
    }
    if (ch === '=' || ch === '<' || ch === '>') {
      i += 1;
      push('OPERATOR', ch, start);
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',' || ch === '*') {
      i += 1;
      push('PUNCT', ch, start);
      continue;
    }
    push('ERROR', `Invalid content. Lexical error at line ${line}, column ${start - lineStart + 1}.  Encountered: "${ch}" (${ch.codePointAt(0) ?? 0}), after : ""`, start);
    return tokens;
  }
  tokens.push({ kind: 'EOF', text: '<EOF>', value: '', line, column: i - lineStart + 1 });
  return tokens;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    const token = this.tokens[this.position] ?? (this.tokens[this.tokens.length - 1] as Token);
    if (token.kind === 'ERROR') throw QboFaults.queryParser(token.text);
    return token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'EOF') this.position += 1;
    return token;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'IDENTIFIER' && token.text.toLowerCase() === word;
  }

  private fail(expected: readonly string[]): never {
    const token = this.peek();
    const kind = token.kind === 'IDENTIFIER' && KEYWORDS.has(token.text.toLowerCase()) ? `"${token.text.toLowerCase()}"` : `<${token.kind}>`;
    const shown = token.kind === 'EOF' ? '<EOF>' : `${kind} "${token.text} "`;
    throw QboFaults.queryParser(`Encountered " ${shown}" at line ${token.line}, column ${token.column}. Was expecting one of: ${expected.join(', ')}`);
  }

  private keyword(word: string): void {
    if (!this.isKeyword(word)) this.fail([`"${word}"`]);
    this.next();
  }

  private punct(text: string): void {
    const token = this.peek();
    if (token.kind !== 'PUNCT' || token.text !== text) this.fail([`"${text}"`]);
    this.next();
  }

  private field(): string {
    const token = this.peek();
    if (token.kind !== 'IDENTIFIER' || (KEYWORDS.has(token.text.toLowerCase()) && !['count'].includes(token.text.toLowerCase()))) {
      this.fail(['<IDENTIFIER>']);
    }
    this.next();
    return token.text;
  }

  private literal(): Literal {
    const token = this.peek();
    if (token.kind === 'STRING') {
      this.next();
      return { kind: 'string', value: token.value };
    }
    if (token.kind === 'NUMBER') {
      const value = Number(token.text);
      if (!Number.isFinite(value)) this.fail(['<NUMBER>']);
      this.next();
      return { kind: 'number', value, text: token.text };
    }
    if (this.isKeyword('true') || this.isKeyword('false')) {
      this.next();
      return { kind: 'boolean', value: token.text.toLowerCase() === 'true' };
    }
    return this.fail(['<STRING>', '<NUMBER>', '"true"', '"false"']);
  }

  private integer(clause: string): number {
    const token = this.peek();
    if (token.kind !== 'NUMBER' || !/^\d+$/.test(token.text)) this.fail(['<INTEGER>']);
    this.next();
    const value = Number(token.text);
    if (value < 1) throw QboFaults.queryValidation(`${clause} must be at least 1, got ${token.text}`);
    return value;
  }

  private condition(): Condition {
    const field = this.field();
    if (this.isKeyword('in')) {
      this.next();
      this.punct('(');
      const values = [this.literal()];
      while (this.peek().kind === 'PUNCT' && this.peek().text === ',') {
        this.next();
        values.push(this.literal());
      }
      this.punct(')');
      return { field, operator: 'IN', values };
    }
    if (this.isKeyword('like')) {
      this.next();
      const value = this.literal();
      if (value.kind !== 'string') throw QboFaults.queryValidation(`LIKE on ${field} needs a quoted pattern such as '%text%'`);
      return { field, operator: 'LIKE', value };
    }
    const op = this.peek();
    if (op.kind !== 'OPERATOR') this.fail(['"="', '"<"', '">"', '"<="', '">="', '"!="', '"in"', '"like"']);
    this.next();
    return { field, operator: op.text as ComparisonOperator, value: this.literal() };
  }

  parse(): ParsedQuery {
    this.keyword('select');
    let select: 'all' | 'count';
    if (this.peek().kind === 'PUNCT' && this.peek().text === '*') {
      this.next();
      select = 'all';
    } else if (this.isKeyword('count')) {
      this.next();
      this.punct('(');
      this.punct('*');
      this.punct(')');
      select = 'count';
    } else {
      this.fail(['"*"', '"count"']);
    }
    this.keyword('from');
    const entity = this.field();

    const where: Condition[] = [];
    if (this.isKeyword('where')) {
      this.next();
      where.push(this.condition());
      while (this.isKeyword('and')) {
        this.next();
        where.push(this.condition());
      }
      if (this.isKeyword('or')) {
        throw QboFaults.queryParser(`OR is not supported (QuickBooks queries only AND their conditions); use IN (…) or run one query per condition. At line ${this.peek().line}, column ${this.peek().column}.`);
      }
    }

    const orderBy: OrderBy[] = [];
    if (this.isKeyword('orderby') || this.isKeyword('order')) {
      if (this.isKeyword('order')) {
        this.next();
        this.keyword('by');
      } else {
        this.next();
      }
      do {
        if (orderBy.length > 0) this.next();
        const field = this.field();
        let direction: 'ASC' | 'DESC' = 'ASC';
        if (this.isKeyword('asc') || this.isKeyword('desc')) direction = this.next().text.toUpperCase() as 'ASC' | 'DESC';
        orderBy.push({ field, direction });
      } while (this.peek().kind === 'PUNCT' && this.peek().text === ',');
    }

    let startPosition: number | undefined;
    let maxResults: number | undefined;
    for (;;) {
      if (startPosition === undefined && this.isKeyword('startposition')) {
        this.next();
        startPosition = this.integer('STARTPOSITION');
      } else if (maxResults === undefined && this.isKeyword('maxresults')) {
        this.next();
        maxResults = this.integer('MAXRESULTS');
      } else {
        break;
      }
    }
    if (this.peek().kind !== 'EOF') {
      const expected = ['<EOF>'];
      if (where.length > 0 && orderBy.length === 0) expected.push('"and"');
      if (orderBy.length === 0) expected.push('"orderby"');
      if (startPosition === undefined) expected.push('"startposition"');
      if (maxResults === undefined) expected.push('"maxresults"');
      if (where.length === 0 && orderBy.length === 0) expected.push('"where"');
      this.fail(expected);
    }
    if (maxResults !== undefined && maxResults > 1000) {
      throw QboFaults.queryValidation(`value ${maxResults} is too large. Max allowed value is 1000`);
    }
    return { select, entity, where, orderBy, startPosition, maxResults };
  }
}

/** Parses a query statement, or throws a QboFault (code 4000). */
export function parseQuery(statement: string): ParsedQuery {
  if (statement.trim() === '') throw QboFaults.queryParser('The query provided was empty');
  return new Parser(tokenize(statement)).parse();
}
