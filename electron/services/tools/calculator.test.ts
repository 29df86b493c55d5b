import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { approximate, calculate, MAX_EXPONENT, MAX_INPUT } from './calculator.ts';
import { SLOW_EXPRESSION } from '../../../test/tools/slow-inputs.ts';
import { ToolError } from './errors.ts';

const r = (e: string) => calculate(e).result;

function fails(expr: string, code: string): string {
  try {
    calculate(expr);
  } catch (err) {
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).code).toBe(code);
    return (err as ToolError).message;
  }
  throw new Error(`expected "${expr}" to fail with ${code}`);
}

describe('calculator: exactness', () => {
  it('adds decimals exactly (no binary floating point)', () => {
    expect(r('0.1 + 0.2')).toBe('0.3');
    expect(r('0.1 + 0.2 - 0.3')).toBe('0');
    expect(r('1.005 * 1000')).toBe('1005');
    expect(r('(0.1 + 0.2) * 3')).toBe('0.9');
  });

  it('keeps fractions exact and adds a 20-digit approximation', () => {
    expect(calculate('1/3')).toEqual({ result: '1/3', exact: true, approx: '0.33333333333333333333' });
    expect(calculate('2/3 + 1/3')).toEqual({ result: '1', exact: true });
    expect(calculate('-22/7').approx).toBe('-3.1428571428571428571');
  });

  it('handles big integers without losing digits', () => {
    expect(r('2^64')).toBe('18446744073709551616');
    expect(r('2^64 - 1')).toBe('18446744073709551615');
    expect(r('99999999999999999999 * 99999999999999999999')).toBe('9999999999999999999800000000000000000001');
  });

  it('reads scientific notation, percent and look-alike operators', () => {
    expect(r('1.5e3')).toBe('1500');
    expect(r('2.5E-3')).toBe('0.0025');
    expect(r('50%')).toBe('0.5');
    expect(r('200 * 15%')).toBe('30');
    expect(r('6 × 7')).toBe('42');
    expect(r('84 ÷ 2')).toBe('42');
    expect(r('5 − 3')).toBe('2');
    expect(r('１２＋３')).toBe('15');
    expect(r('2**10')).toBe('1024');
  });
});

describe('calculator: precedence', () => {
  it('multiplies before adding, left to right within a level', () => {
    expect(r('1 + 2 * 3')).toBe('7');
    expect(r('(1 + 2) * 3')).toBe('9');
    expect(r('10 - 4 - 3')).toBe('3');
    expect(r('100 / 10 / 5')).toBe('2');
  });

  it('powers are right-associative and bind tighter than unary minus', () => {
    expect(r('2^3^2')).toBe('512');
    expect(r('-2^2')).toBe('-4');
    expect(r('(-2)^2')).toBe('4');
    expect(r('2^-2')).toBe('0.25');
    expect(r('--3')).toBe('3');
    expect(r('3 * -2')).toBe('-6');
  });
});

describe('calculator: errors', () => {
  it('division by zero is an error, also hidden in a power', () => {
    expect(fails('1/0', 'division_by_zero')).toMatch(/Division by zero/);
    fails('1/(0.5 - 1/2)', 'division_by_zero');
    fails('0^-1', 'division_by_zero');
  });

  it('syntax errors say where', () => {
    expect(fails('1 +', 'syntax')).toMatch(/ends too early/);
    expect(fails('(1 + 2', 'syntax')).toMatch(/closing parenthesis/);
    expect(fails('1 2', 'syntax')).toMatch(/position 3/);
    fails('', 'syntax');
    fails('1,000', 'syntax');
  });

  it('only integer powers', () => {
    expect(fails('2^0.5', 'bad_arguments')).toMatch(/integer powers/);
  });
});

describe('calculator: limits', () => {
  it('refuses long input, huge exponents and results that would exhaust memory', () => {
    fails('1+'.repeat(MAX_INPUT) + '1', 'too_large');
    fails(`2^${MAX_EXPONENT + 1}`, 'too_large');
    fails(`1e${MAX_EXPONENT + 1}`, 'too_large');
    // Each step is allowed; the result would have 10^8 bits and is refused before it is computed.
    const started = Date.now();
    fails('(10^9000)^9000', 'too_large');
    expect(Date.now() - started).toBeLessThan(2000);
    fails('('.repeat(200) + '1' + ')'.repeat(200), 'too_large');
  });

  it('a chain of large powers is refused at once, and the answer says what the limit is', () => {
    // 265 characters that took 15 s of exact arithmetic (0.4 s per GCD at 65,536 bits).
    const started = performance.now();
    const message = fails(SLOW_EXPRESSION, 'too_large');
    expect(performance.now() - started).toBeLessThan(500);
    expect(message).toMatch(/limited to 4096 bits, about 1,233 decimal digits/);
    fails('1e-5000', 'too_large');
  });

  it('keeps exact answers up to about 1,200 digits, intermediate steps included', () => {
    expect(r('2^4000 / 2^3990')).toBe('1024');
    expect(r('(3^2500 * 7) / 3^2500')).toBe('7');
    expect(calculate('2^4095').result).toMatch(/^5\.22\d+e\+1232$/);
    fails('2^4096', 'too_large');
  });

  it('shortens a result too long to be useful to 20 significant digits', () => {
    const out = calculate('7^1000');
    expect(out.exact).toBe(false);
    expect(out.result).toMatch(/^1\.25\d{17}e\+845$/);
  });

  it('approximates small and large magnitudes in scientific notation', () => {
    expect(approximate({ n: 1n, d: 3n * 10n ** 10n })).toBe('3.3333333333333333333e-11');
    expect(approximate({ n: 123456789n, d: 1000n })).toBe('123456.789');
  });
});

describe('calculator: no code execution path', () => {
  it('anything that is not arithmetic is a syntax error, never evaluated', () => {
    for (const input of ['process.exit(1)', 'constructor', '1;alert(1)', 'this', '[]+{}', '`1`', 'a=1', '1 && 2', 'Math.PI', '0x10', '"1"+1']) {
      fails(input, 'syntax');
    }
  });

  it('the module contains no eval or Function constructor', () => {
    const src = readFileSync(new URL('./calculator.ts', import.meta.url), 'utf8');
    expect(src).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(/);
  });
});
