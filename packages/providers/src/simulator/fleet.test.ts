import { describe, expect, it } from 'vitest';
import { blendedPricePerMTok } from '@switchyard/core';
import { fleetSchema, loadFleet, skillFor, type FleetModel } from './fleet';

const categories = ['math', 'code', 'knowledge', 'reasoning', 'finance', 'language', 'general'];
const mean = (model: FleetModel) => categories.reduce((sum, category) => sum + skillFor(model, category), 0) / categories.length;
const errorRate = (model: FleetModel) => Object.values(model.reliability.errorRates).reduce((sum, rate) => sum + rate, 0);

describe('default fleet', () => {
  const fleet = loadFleet();
  const byName = new Map(fleet.models.map((model) => [model.name, model]));
  const model = (name: string) => byName.get(name) as FleetModel;

  it('has 8 models across the three wire formats, each with a skill per bundled category', () => {
    expect(fleet.models).toHaveLength(8);
    expect(new Set(fleet.models.map((entry) => entry.format))).toEqual(new Set(['openai', 'anthropic', 'gemini']));
    for (const entry of fleet.models) for (const category of categories) expect(entry.skills[category]).toBeTypeOf('number');
  });

  it('has clear tradeoffs', () => {
    const cheapest = [...fleet.models].sort((a, b) => blendedPricePerMTok(a.price) - blendedPricePerMTok(b.price))[0] as FleetModel;
    const priciest = [...fleet.models].sort((a, b) => blendedPricePerMTok(b.price) - blendedPricePerMTok(a.price))[0] as FleetModel;
    expect(cheapest.name).toBe('swift-mini');
    expect(mean(cheapest)).toBeLessThan(0.5);
    expect(priciest.name).toBe('titan-ultra');
    expect(Math.max(...fleet.models.map(mean))).toBe(mean(priciest));
    expect(priciest.latency.tokensPerSecond).toBe(Math.min(...fleet.models.map((entry) => entry.latency.tokensPerSecond)));
    expect(model('numeric-7b').skills.math).toBeGreaterThan(0.9);
    expect(model('numeric-7b').skills.code).toBeLessThan(0.4);
    expect(model('coder-pro').skills.code).toBeGreaterThan(0.9);
    expect(model('coder-pro').skills.knowledge).toBeLessThan(0.5);
    expect(model('blitz-flash').latency.ttftMedianMs).toBe(Math.min(...fleet.models.map((entry) => entry.latency.ttftMedianMs)));
    expect(errorRate(model('blitz-flash'))).toBeCloseTo(0.1, 10);
    expect(model('polyglot-pro').skills.language).toBe(Math.max(...fleet.models.map((entry) => entry.skills.language ?? 0)));
  });

  it('validates fleets', () => {
    const valid = { models: [{ ...fleet.models[0] }] };
    expect(fleetSchema.parse(valid).models).toHaveLength(1);
    expect(() => fleetSchema.parse({ models: [fleet.models[0], fleet.models[0]] })).toThrow(/unique/);
    expect(() => fleetSchema.parse({ models: [{ ...fleet.models[0], skills: { math: 0.5 } }] })).toThrow(/general/);
    expect(() => fleetSchema.parse({ models: [{ ...fleet.models[0], skills: { general: 1.5 } }] })).toThrow();
  });
});
