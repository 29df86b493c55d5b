// The calculator tool: exact arithmetic over rationals (BigInt numerator/denominator), parsed by a
// small tokenizer and recursive-descent parser. Nothing the model sends is ever evaluated as code:
// the only things that can happen to the input are "it is a number", "it is one of these operators"
// or "syntax error". 0.1 + 0.2 is exactly 3/10 here, which binary floating point cannot say.
//
// Grammar (usual precedence, `^` right-associative and binding tighter than unary minus, so
// -2^2 = -4 as in mathematics; `%` is postfix "divide by 100"):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := postfix ('^' unary)?
//   postfix := primary '%'*
//   primary := number | '(' expr ')'
import { ToolError } from './errors.ts';

/** Longest expression accepted: a model pasting a whole document here is a mistake, not arithmetic. */
export const MAX_INPUT = 1000;
/** Largest exponent accepted, in `x^n` and in `1e<n>` literals. */
export const MAX_EXPONENT = 10_000;
const MAX_DEPTH = 100;

export interface CalcLimits {
  /**
   * Numerator and denominator of every intermediate result stay within this many bits. Exact
   * rational arithmetic reduces every result by a GCD, whose cost grows with the square of the
   * size: at 65,536 bits one step of `x*99997/99996` took 0.4 s and a 265-character chain of them
   * froze the app for 15 s. 4,096 bits (about 1,233 decimal digits) keeps a step well under a
   * millisecond and is far more than an answer can use (results past 200 characters are shown as
   * 20 significant digits anyway).
   */
  maxBits: number;
}

export const DEFAULT_CALC_LIMITS: CalcLimits = { maxBits: 4096 };

export interface Rational {
  n: bigint;
  d: bigint;
}

const abs = (x: bigint) => (x < 0n ? -x : x);

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

function bits(x: bigint): number {
  return abs(x).toString(2).length;
}

/** The message the model reads when a number outgrows the limit: what the limit is, and what to do. */
export function tooLargeMessage(maxBits: number): string {
  const digits = Math.floor(maxBits * Math.log10(2)).toLocaleString('en-US');
  return `The result is too large: numbers (also intermediate results) are limited to ${maxBits} bits, about ${digits} decimal digits. Use smaller numbers or split the calculation.`;
}

/** Rational arithmetic that refuses any value past `maxBits`, before computing it where it can. */
class Arith {
  readonly maxBits: number;

  constructor(limits: CalcLimits) {
    this.maxBits = limits.maxBits;
  }

  tooLarge(): ToolError {
    return new ToolError('too_large', tooLargeMessage(this.maxBits));
  }

  make(n: bigint, d: bigint): Rational {
    if (d === 0n) throw new ToolError('division_by_zero', 'Division by zero.');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    // Operands are within the limit, so an unreduced product is at most twice it: the GCD below
    // stays cheap, and anything larger cannot reduce back under the limit often enough to matter.
    if (bits(n) > 2 * this.maxBits + 2 || bits(d) > 2 * this.maxBits + 2) throw this.tooLarge();
    const g = gcd(n, d) || 1n;
    const r = { n: n / g, d: d / g };
    if (bits(r.n) > this.maxBits || bits(r.d) > this.maxBits) throw this.tooLarge();
    return r;
  }

  add = (a: Rational, b: Rational) => this.make(a.n * b.d + b.n * a.d, a.d * b.d);
  sub = (a: Rational, b: Rational) => this.make(a.n * b.d - b.n * a.d, a.d * b.d);
  mul = (a: Rational, b: Rational) => this.make(a.n * b.n, a.d * b.d);
  div = (a: Rational, b: Rational) => {
    if (b.n === 0n) throw new ToolError('division_by_zero', 'Division by zero.');
    return this.make(a.n * b.d, a.d * b.n);
  };

  pow(base: Rational, e: Rational): Rational {
    if (e.d !== 1n) throw new ToolError('bad_arguments', 'Only integer powers are supported.');
    if (abs(e.n) > BigInt(MAX_EXPONENT)) throw new ToolError('too_large', `Exponents are limited to ±${MAX_EXPONENT}.`);
    const k = Number(e.n);
    // Checked before computing: 2^10000^10000 must fail fast, not exhaust memory.
    if ((Math.max(bits(base.n), bits(base.d)) - 1) * Math.abs(k) > this.maxBits) throw this.tooLarge();
    if (k < 0) {
      if (base.n === 0n) throw new ToolError('division_by_zero', 'Division by zero.');
      return this.make(base.d ** BigInt(-k), base.n ** BigInt(-k));
    }
    return this.make(base.n ** BigInt(k), base.d ** BigInt(k));
  }

  /** 10^e, refused before computing when it cannot fit. */
  tenTo(e: number): Rational {
    if (Math.abs(e) > MAX_EXPONENT) throw new ToolError('too_large', `Exponents are limited to ±${MAX_EXPONENT}.`);
    if (Math.abs(e) * Math.log2(10) > this.maxBits + 4) throw this.tooLarge();
    return e >= 0 ? this.make(10n ** BigInt(e), 1n) : this.make(1n, 10n ** BigInt(-e));
  }
}

type Token = { t: 'num'; v: Rational; at: number } | { t: 'op'; v: string; at: number };

/** Look-alike characters models and IMEs produce (×, ÷, −, full-width digits) mapped to ASCII. */
function normalise(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[×✕✖·⋅]/g, '*')
    .replace(/[÷∕]/g, '/')
    .replace(/[−–—]/g, '-')
    .replace(/\*\*/g, '^');
}

function parseNumber(s: string, at: number, A: Arith): { v: Rational; end: number } {
  // No comma decimals: "1,000" would silently be 1.
  const m = /^(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?/.exec(s.slice(at));
  if (!m) throw new ToolError('syntax', `Expected a number at position ${at + 1}.`);
  const [int, frac = ''] = m[1]!.split('.');
  let v = A.make(BigInt((int || '0') + frac), 10n ** BigInt(frac.length));
  if (m[2] !== undefined) v = A.mul(v, A.tenTo(Number(m[2])));
  return { v, end: at + m[0].length };
}

export function tokenize(input: string, A = new Arith(DEFAULT_CALC_LIMITS)): Token[] {
  const s = normalise(input);
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (/[\d.]/.test(c)) {
      const { v, end } = parseNumber(s, i, A);
      out.push({ t: 'num', v, at: i });
      i = end;
    } else if ('+-*/^()%'.includes(c)) {
      out.push({ t: 'op', v: c, at: i });
      i++;
    } else {
      throw new ToolError('syntax', `Unexpected character "${c}" at position ${i + 1}. Only numbers, + - * / ^ % and parentheses are allowed.`);
    }
  }
  return out;
}

class Parser {
  private i = 0;
  private depth = 0;
  private readonly toks: Token[];
  private readonly A: Arith;

  constructor(toks: Token[], A: Arith) {
    this.toks = toks;
    this.A = A;
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === v;
  }

  parse(): Rational {
    if (!this.toks.length) throw new ToolError('syntax', 'The expression is empty.');
    const v = this.expr();
    const t = this.peek();
    if (t) throw new ToolError('syntax', `Unexpected "${t.t === 'op' ? t.v : 'number'}" at position ${t.at + 1}.`);
    return v;
  }

  private nest<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ToolError('too_large', 'The expression is nested too deeply.');
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private expr(): Rational {
    let v = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.toks[this.i++] as { v: string }).v;
      const r = this.term();
      v = op === '+' ? this.A.add(v, r) : this.A.sub(v, r);
    }
    return v;
  }

  private term(): Rational {
    let v = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = (this.toks[this.i++] as { v: string }).v;
      const r = this.unary();
      v = op === '*' ? this.A.mul(v, r) : this.A.div(v, r);
    }
    return v;
  }

  private unary(): Rational {
    if (this.isOp('-')) {
      this.i++;
      return this.nest(() => {
        const v = this.unary();
        return { n: -v.n, d: v.d };
      });
    }
    if (this.isOp('+')) {
      this.i++;
      return this.nest(() => this.unary());
    }
    return this.power();
  }

  private power(): Rational {
    const base = this.postfix();
    if (this.isOp('^')) {
      this.i++;
      return this.A.pow(base, this.nest(() => this.unary()));
    }
    return base;
  }

  private postfix(): Rational {
    let v = this.primary();
    while (this.isOp('%')) {
      this.i++;
      v = this.A.div(v, { n: 100n, d: 1n });
    }
    return v;
  }

  private primary(): Rational {
    const t = this.peek();
    if (!t) throw new ToolError('syntax', 'The expression ends too early.');
    if (t.t === 'num') {
      this.i++;
      return t.v;
    }
    if (t.v === '(') {
      this.i++;
      const v = this.nest(() => this.expr());
      if (!this.isOp(')')) throw new ToolError('syntax', 'A closing parenthesis is missing.');
      this.i++;
      return v;
    }
    throw new ToolError('syntax', `Unexpected "${t.v}" at position ${t.at + 1}.`);
  }
}

/** The exact decimal expansion when the denominator has no prime factors but 2 and 5, else null. */
export function exactDecimal(r: Rational): string | null {
  let d = r.d;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  if (d !== 1n) return null;
  const places = Math.max(twos, fives);
  const scaled = abs(r.n) * 10n ** BigInt(places) / r.d;
  let digits = scaled.toString();
  if (places > 0) {
    digits = digits.padStart(places + 1, '0');
    digits = `${digits.slice(0, -places)}.${digits.slice(-places)}`.replace(/\.?0+$/, '');
  }
  return (r.n < 0n ? '-' : '') + digits;
}

/** `sig` significant digits, rounded toward zero, in plain or scientific notation. */
export function approximate(r: Rational, sig = 20): string {
  if (r.n === 0n) return '0';
  const neg = r.n < 0n;
  const n = abs(r.n);
  // Decimal exponent of the value: 10^e ≤ n/d < 10^(e+1).
  let e = n.toString().length - r.d.toString().length;
  if (n * 10n ** BigInt(Math.max(0, -e)) < r.d * 10n ** BigInt(Math.max(0, e))) e--;
  const shift = sig - 1 - e;
  const scaled = shift >= 0 ? (n * 10n ** BigInt(shift)) / r.d : n / (r.d * 10n ** BigInt(-shift));
  const ds = scaled.toString();
  let out: string;
  if (e >= -6 && e < sig) {
    if (e >= 0) out = `${ds.slice(0, e + 1)}.${ds.slice(e + 1)}`;
    else out = `0.${'0'.repeat(-e - 1)}${ds}`;
    out = out.replace(/\.?0+$/, '');
  } else {
    out = `${ds[0]}.${ds.slice(1)}`.replace(/\.?0+$/, '') + `e${e >= 0 ? '+' : ''}${e}`;
  }
  return (neg ? '-' : '') + out;
}

export interface CalcResult {
  /** A terminating decimal or a fraction "n/d" when exact; 20 significant digits when not. */
  result: string;
  /** False only when the exact value has more than 200 characters. */
  exact: boolean;
  /** 20 significant digits of a fraction. */
  approx?: string;
}

/** Evaluates `input` exactly. Throws ToolError for syntax errors, division by zero and limits. */
export function calculate(input: string, limits: CalcLimits = DEFAULT_CALC_LIMITS): CalcResult {
  if (typeof input !== 'string') throw new ToolError('bad_arguments', '"expression" must be a string.');
  if (input.length > MAX_INPUT) throw new ToolError('too_large', `Expressions are limited to ${MAX_INPUT} characters.`);
  const A = new Arith(limits);
  const v = new Parser(tokenize(input, A), A).parse();
  const exact = exactDecimal(v) ?? `${v.n}/${v.d}`;
  if (exact.length > 200) return { result: approximate(v), exact: false };
  return exact.includes('/') ? { result: exact, exact: true, approx: approximate(v) } : { result: exact, exact: true };
}
