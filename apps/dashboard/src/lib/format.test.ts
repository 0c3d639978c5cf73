import { describe, expect, it } from 'vitest';
import { constraint, count, perMTok } from './format';

describe('perMTok', () => {
  it('shows a blended price without float noise', () => {
    expect(perMTok(0.26249999999999996)).toBe('$0.262/M');
    expect(perMTok((3 * 0.15 + 0.6) / 4)).toBe('$0.262/M');
    expect(perMTok(3.4499999999999997)).toBe('$3.45/M');
  });
  it('shows every price to 3 significant digits, so $24 and $0.262 read alike', () => {
    expect(perMTok(24)).toBe('$24.0/M');
    expect(perMTok(6)).toBe('$6.00/M');
    expect(perMTok(0.3)).toBe('$0.300/M');
    expect(perMTok(150)).toBe('$150/M');
    expect(perMTok(9.996)).toBe('$10.0/M');
    expect(perMTok(1500)).toBe('$1,500/M');
  });
  it('keeps the digits of a tiny price instead of rounding it to zero', () => {
    expect(perMTok(0.0001)).toBe('$0.000100/M');
    expect(perMTok(0.00012345)).toBe('$0.000123/M');
    expect(perMTok(1e-7)).toBe('$0.000000100/M');
    expect(perMTok(0)).toBe('$0/M');
    expect(perMTok(null)).toBe('–');
    expect(perMTok(Number.NaN)).toBe('–');
  });
});

describe('constraint', () => {
  it('formats each route constraint in its unit', () => {
    expect(constraint('maxCostPerMTok', 0.26249999999999996)).toBe('$0.262/M');
    expect(constraint('maxTtftMs', 1500)).toBe('1500 ms');
    expect(constraint('minQuality', 0.3)).toBe('30%');
    expect(constraint('budgetPer1kUsd', 0.5)).toBe('$0.50');
    expect(constraint('somethingNew', 0.1 + 0.2)).toBe('0.3');
  });
});

describe('count', () => {
  it('says one item, and groups the thousands of many', () => {
    expect(count(1, 'item')).toBe('1 item');
    expect(count(0, 'item')).toBe('0 items');
    expect(count(1234, 'routine run')).toBe('1,234 routine runs');
    expect(count(2, 'entry', 'entries')).toBe('2 entries');
  });
});
