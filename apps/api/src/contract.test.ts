import { describe, expect, expectTypeOf, it } from 'vitest';
import * as contract from './contract';
import type { Jsonified, PolicyVersion } from './contract';

describe('contract', () => {
  it('exports types only, so importing it cannot put server code in a browser bundle', () => {
    expect(Object.keys(contract)).toEqual([]);
  });

  // Type-level assertions: they do nothing at run time and fail `npm run check` (tsc) instead.
  it('types a value as it arrives after JSON: Dates become strings at any depth', () => {
    expectTypeOf<Jsonified<{ at: Date; list: Array<{ when: Date | null }>; pair: [number, string]; note?: string }>>().toEqualTypeOf<{
      at: string;
      list: Array<{ when: string | null }>;
      pair: [number, string];
      note?: string;
    }>();
    expectTypeOf<PolicyVersion['createdAt']>().toEqualTypeOf<string>();
  });
});
