import { describe, expect, it } from 'vitest';
import { generationRate, MIN_GENERATION_SPAN_MS } from './model-call';

describe('generationRate', () => {
  it('counts the tokens after the first chunk over the time from the first chunk to the last', () => {
    // 4 chunks of 10 characters, 100 ms apart; 40 tokens in all, so 30 came after the first chunk.
    const chunks = [0, 100, 200, 300].map((at) => ({ at, chars: 10 }));
    expect(generationRate(chunks, 40)).toBeCloseTo(100);
  });

  it('shares the tokens out by characters when chunks differ in size', () => {
    const chunks = [
      { at: 0, chars: 30 },
      { at: 50, chars: 10 },
    ];
    // 40 tokens, a quarter of the characters after the first chunk: 10 tokens in 50 ms.
    expect(generationRate(chunks, 40)).toBeCloseTo(200);
  });

  it('has no rate for an answer that came in one chunk or in one burst', () => {
    expect(generationRate([{ at: 10, chars: 40 }], 16)).toBeNull();
    expect(generationRate([{ at: 10, chars: 20 }, { at: 10 + MIN_GENERATION_SPAN_MS / 10, chars: 20 }], 16)).toBeNull();
    expect(generationRate([], 16)).toBeNull();
    expect(generationRate([{ at: 0, chars: 5 }, { at: 100, chars: 5 }], 0)).toBeNull();
  });
});
