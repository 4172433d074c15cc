/**
 * Xero's `where` filter: the subset of its .NET-flavoured expression language that clients send
 * (xero-api.md §1.5): comparisons `==` `=` `!=` `<>` `>` `>=` `<` `<=`, `AND`/`&&`, `OR`/`||`,
 * `NOT`/`!`, parentheses, `Field.Contains("x")`/`StartsWith`/`EndsWith`, `Field != null`, string,
 * number and boolean literals, `Guid("…")` and `DateTime(2024, 1, 31[, h, m, s])`. Dotted paths
 * (`Contact.ContactID`) reach into nested records. String comparisons ignore case, as Xero's do.
 */

/** A date value in a filterable record (compared with `DateTime(…)` literals). */
export interface FilterDate {
  readonly ms: number;
}
export type FilterValue = string | number | boolean | null | undefined | FilterDate | FilterRecord;
export interface FilterRecord {
  readonly [field: string]: FilterValue;
}

type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' } | { kind: 'date'; ms: number };
type CompareOp = '==' | '!=' | '>' | '>=' | '<' | '<=';

export type WhereExpr =
  | { readonly type: 'and' | 'or'; readonly left: WhereExpr; readonly right: WhereExpr }
  | { readonly type: 'not'; readonly operand: WhereExpr }
  | { readonly type: 'compare'; readonly path: readonly string[]; readonly op: CompareOp; readonly literal: Literal }
  | { readonly type: 'method'; readonly path: readonly string[]; readonly method: 'contains' | 'startswith' | 'endswith'; readonly argument: string }
  | { readonly type: 'field'; readonly path: readonly string[] };

/** A `where` clause Xero would refuse; the message is what the 400 says. */
export class WhereSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WhereSyntaxError';
  }
}

type Token =
  | { t: 'ident'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'number'; v: number; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'punct'; v: '(' | ')' | ',' | '.'; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new WhereSyntaxError(`Unterminated string literal at position ${i}`);
        const c = text[j] ?? '';
        if (c === '\\' && j + 1 < text.length) {
          value += text[j + 1] ?? '';
          j += 2;
        } else if (c === '"') {
          if (text[j + 1] === '"') {
            value += '"';
            j += 2;
          } else break;
        } else {
          value += c;
          j += 1;
        }
      }
      tokens.push({ t: 'string', v: value, at: i });
      i = j + 1;
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^-?\d+(\.\d+)?/.exec(text.slice(i));
      const raw = match?.[0] ?? ch;
      tokens.push({ t: 'number', v: Number(raw), at: i });
      i += raw.length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const raw = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0] ?? ch;
      tokens.push({ t: 'ident', v: raw, at: i });
      i += raw.length;
    } else {
      const two = text.slice(i, i + 2);
      if (['==', '!=', '<>', '>=', '<=', '&&', '||'].includes(two)) {
        tokens.push({ t: 'op', v: two, at: i });
        i += 2;
      } else if (['=', '<', '>', '!'].includes(ch)) {
        tokens.push({ t: 'op', v: ch, at: i });
        i += 1;
      } else if (ch === '(' || ch === ')' || ch === ',' || ch === '.') {
        tokens.push({ t: 'punct', v: ch, at: i });
        i += 1;
      } else {
        throw new WhereSyntaxError(`Syntax error: unexpected character '${ch}' at position ${i}`);
      }
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): WhereExpr {
    const expr = this.or();
    const extra = this.tokens[this.pos];
    if (extra !== undefined) throw new WhereSyntaxError(`Syntax error: unexpected '${String(extra.v)}' at position ${extra.at}`);
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isKeyword(token: Token | undefined, ...words: string[]): boolean {
    if (token === undefined) return false;
    if (token.t === 'ident') return words.includes(token.v.toUpperCase());
    if (token.t === 'op') return words.includes(token.v);
    return false;
  }

  private or(): WhereExpr {
    let left = this.and();
    while (this.isKeyword(this.peek(), 'OR', '||')) {
      this.pos += 1;
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): WhereExpr {
    let left = this.unary();
    while (this.isKeyword(this.peek(), 'AND', '&&')) {
      this.pos += 1;
      left = { type: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): WhereExpr {
    if (this.isKeyword(this.peek(), 'NOT', '!')) {
      this.pos += 1;
      return { type: 'not', operand: this.unary() };
    }
    return this.primary();
  }

  private expectPunct(v: '(' | ')' | ',' | '.'): void {
    const token = this.peek();
    if (token?.t !== 'punct' || token.v !== v) {
      throw new WhereSyntaxError(`Syntax error: '${v}' expected${token === undefined ? ' at the end' : ` at position ${token.at}`}`);
    }
    this.pos += 1;
  }

  private primary(): WhereExpr {
    const token = this.peek();
    if (token === undefined) throw new WhereSyntaxError('Syntax error: expression expected at the end');
    if (token.t === 'punct' && token.v === '(') {
      this.pos += 1;
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    if (token.t !== 'ident') throw new WhereSyntaxError(`Syntax error: field name expected at position ${token.at}`);
    const path = [token.v];
    this.pos += 1;
    let method: 'contains' | 'startswith' | 'endswith' | undefined;
    while (this.peek()?.t === 'punct' && this.peek()?.v === '.') {
      this.pos += 1;
      const next = this.peek();
      if (next?.t !== 'ident') throw new WhereSyntaxError(`Syntax error: identifier expected after '.'${next === undefined ? '' : ` at position ${next.at}`}`);
      this.pos += 1;
      const lower = next.v.toLowerCase();
      const after = this.peek();
      if ((lower === 'contains' || lower === 'startswith' || lower === 'endswith') && after?.t === 'punct' && after.v === '(') {
        method = lower;
        break;
      }
      path.push(next.v);
    }
    if (method !== undefined) {
      this.expectPunct('(');
      const argument = this.peek();
      if (argument?.t !== 'string') throw new WhereSyntaxError(`Syntax error: ${method}() takes a string in double quotes`);
      this.pos += 1;
      this.expectPunct(')');
      return { type: 'method', path, method, argument: argument.v };
    }
    const opToken = this.peek();
    if (opToken?.t !== 'op' || ['&&', '||', '!'].includes(opToken.v)) {
      return { type: 'field', path };
    }
    this.pos += 1;
    const op: CompareOp = opToken.v === '=' ? '==' : opToken.v === '<>' ? '!=' : (opToken.v as CompareOp);
    return { type: 'compare', path, op, literal: this.literal() };
  }

  private literal(): Literal {
    const token = this.peek();
    if (token === undefined) throw new WhereSyntaxError('Syntax error: value expected at the end');
    this.pos += 1;
    if (token.t === 'string') return { kind: 'string', value: token.v };
    if (token.t === 'number') return { kind: 'number', value: token.v };
    if (token.t === 'ident') {
      const word = token.v.toLowerCase();
      if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
      if (word === 'null') return { kind: 'null' };
      if (word === 'guid') {
        this.expectPunct('(');
        const value = this.peek();
        if (value?.t !== 'string') throw new WhereSyntaxError('Syntax error: Guid() takes a string in double quotes, e.g. Guid("00000000-0000-0000-0000-000000000000")');
        this.pos += 1;
        this.expectPunct(')');
        return { kind: 'string', value: value.v };
      }
      if (word === 'datetime') {
        this.expectPunct('(');
        const parts: number[] = [];
        for (;;) {
          const part = this.peek();
          if (part?.t !== 'number') throw new WhereSyntaxError('Syntax error: DateTime() takes numbers, e.g. DateTime(2024, 01, 31)');
          parts.push(part.v);
          this.pos += 1;
          const sep = this.peek();
          if (sep?.t === 'punct' && sep.v === ',') {
            this.pos += 1;
            continue;
          }
          break;
        }
        this.expectPunct(')');
        if (parts.length < 3 || parts.length > 6) throw new WhereSyntaxError('Syntax error: DateTime() takes year, month, day and optionally hour, minute, second');
        const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = parts;
        return { kind: 'date', ms: Date.UTC(y, mo - 1, d, h, mi, s) };
      }
      throw new WhereSyntaxError(`No property or field '${token.v}' exists in the comparison value; quote strings with double quotes`);
    }
    throw new WhereSyntaxError(`Syntax error: value expected at position ${token.at}`);
  }
}

/** Parses a `where` clause; throws WhereSyntaxError with Xero-like wording. */
export function parseWhere(text: string): WhereExpr {
  if (text.trim() === '') throw new WhereSyntaxError('Syntax error: the where clause is empty');
  return new Parser(tokenize(text)).parse();
}

/** Every dotted field path the expression reads (for checking them against an entity's fields). */
export function wherePaths(expr: WhereExpr): (readonly string[])[] {
  switch (expr.type) {
    case 'and':
    case 'or':
      return [...wherePaths(expr.left), ...wherePaths(expr.right)];
    case 'not':
      return wherePaths(expr.operand);
    case 'compare':
    case 'field':
    case 'method':
      return [expr.path];
  }
}

function isDate(value: FilterValue): value is FilterDate {
  return typeof value === 'object' && value !== null && 'ms' in value && typeof value.ms === 'number' && Object.keys(value).length === 1;
}

function lookup(record: FilterRecord, path: readonly string[]): FilterValue {
  let current: FilterValue = record;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || isDate(current)) return undefined;
    const lower = segment.toLowerCase();
    const key: string | undefined = Object.keys(current).find((k) => k.toLowerCase() === lower);
    current = key === undefined ? undefined : (current as FilterRecord)[key];
  }
  return current;
}

function compare(actual: FilterValue, op: CompareOp, literal: Literal): boolean {
  if (literal.kind === 'null') {
    const isNull = actual === null || actual === undefined || actual === '';
    return op === '==' ? isNull : op === '!=' ? !isNull : false;
  }
  let a: string | number | boolean;
  let b: string | number | boolean;
  if (literal.kind === 'date') {
    if (!isDate(actual)) return op === '!=';
    a = actual.ms;
    b = literal.ms;
  } else if (literal.kind === 'string') {
    if (typeof actual !== 'string') return op === '!=';
    a = actual.toLowerCase();
    b = literal.value.toLowerCase();
  } else if (literal.kind === 'number') {
    if (typeof actual !== 'number') return op === '!=';
    a = actual;
    b = literal.value;
  } else {
    if (typeof actual !== 'boolean') return op === '!=';
    a = actual;
    b = literal.value;
  }
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
  }
}

/** Whether a record passes the filter. */
export function matchesWhere(expr: WhereExpr, record: FilterRecord): boolean {
  switch (expr.type) {
    case 'and':
      return matchesWhere(expr.left, record) && matchesWhere(expr.right, record);
    case 'or':
      return matchesWhere(expr.left, record) || matchesWhere(expr.right, record);
    case 'not':
      return !matchesWhere(expr.operand, record);
    case 'field':
      return lookup(record, expr.path) === true;
    case 'compare':
      return compare(lookup(record, expr.path), expr.op, expr.literal);
    case 'method': {
      const value = lookup(record, expr.path);
      if (typeof value !== 'string') return false;
      const haystack = value.toLowerCase();
      const needle = expr.argument.toLowerCase();
      return expr.method === 'contains' ? haystack.includes(needle) : expr.method === 'startswith' ? haystack.startsWith(needle) : haystack.endsWith(needle);
    }
  }
}

/** Checks that every field the filter names exists on the entity (by example record). */
export function checkWherePaths(expr: WhereExpr, example: FilterRecord, entity: string): void {
  for (const path of wherePaths(expr)) {
    let current: FilterValue = example;
    for (const segment of path) {
      const lower = segment.toLowerCase();
      const key: string | undefined = typeof current === 'object' && current !== null && !isDate(current) ? Object.keys(current).find((k) => k.toLowerCase() === lower) : undefined;
      if (key === undefined) throw new WhereSyntaxError(`No property or field '${segment}' exists in type '${entity}'`);
      current = (current as FilterRecord)[key];
    }
  }
}
