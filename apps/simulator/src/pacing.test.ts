import { describe, expect, it } from 'vitest';
import { approximateTokens } from './answers';
import { streamPlan } from './pacing';

const text = Array.from({ length: 120 }, (_, index) => `word${index % 7 === 0 ? 'longerword' : ''}${index % 5 === 0 ? ',' : ''} `).join('');

describe('streamPlan', () => {
  it('pauses, from the first piece to the last, the tokens after the first divided by tokens/s: the rate a client measures', () => {
    for (const tokensPerSecond of [38, 100, 400]) {
      const plan = streamPlan(text, tokensPerSecond);
      expect(plan[0]?.pauseMs).toBe(0);
      const pausedSeconds = plan.reduce((sum, piece) => sum + piece.pauseMs, 0) / 1000;
      const tokensAfterFirst = (text.length - (plan[0]?.text.length ?? 0)) / 4;
      expect(pausedSeconds * tokensPerSecond).toBeCloseTo(tokensAfterFirst, 6);
    }
  });

  it('cuts whole words into pieces of one 40 ms tick of tokens, as the usage counts them', () => {
    const plan = streamPlan(text, 400); // 16 tokens per tick
    expect(plan.map((piece) => piece.text).join('')).toBe(text);
    for (const piece of plan.slice(0, -1)) {
      expect(approximateTokens(piece.text)).toBeGreaterThanOrEqual(16);
      expect(approximateTokens(piece.text)).toBeLessThan(16 + 6);
      expect(piece.text).toMatch(/\s$/);
    }
  });

  it('does not pause without latency', () => {
    const plan = streamPlan(text, null);
    expect(plan.length).toBeGreaterThan(3);
    expect(plan.every((piece) => piece.pauseMs === 0)).toBe(true);
  });
});
