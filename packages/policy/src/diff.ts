import type { PolicyDocument } from './schema';

export interface WeightChange {
  route: string;
  category: string;
  model: string;
  from: number;
  to: number;
}

export interface PolicyDiff {
  weightChanges: WeightChange[];
  modelsAdded: Array<{ route: string; category: string; model: string; weight: number }>;
  modelsRemoved: Array<{ route: string; category: string; model: string; weight: number }>;
  routesAdded: string[];
  routesRemoved: string[];
  /** Category names in some route of one version and in no route of the other. */
  categoriesAdded: string[];
  categoriesRemoved: string[];
  /** Largest total absolute weight movement (L1) of any (route, category). */
  maxL1: number;
}

function weights(policy: PolicyDocument): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [route, routePolicy] of Object.entries(policy.routes)) {
    for (const [category, categoryPolicy] of Object.entries(routePolicy.categories)) {
      out.set(`${route}\u0000${category}`, new Map(categoryPolicy.models.map((entry) => [entry.model, entry.weight])));
    }
  }
  return out;
}

function categoryNames(policy: PolicyDocument): Set<string> {
  return new Set(Object.values(policy.routes).flatMap((route) => Object.keys(route.categories)));
}

/** What moved between two policy versions: weights, models, categories and routes added/removed. */
export function diffPolicies(before: PolicyDocument, after: PolicyDocument, epsilon = 1e-4): PolicyDiff {
  const a = weights(before);
  const b = weights(after);
  const categoriesBefore = categoryNames(before);
  const categoriesAfter = categoryNames(after);
  const diff: PolicyDiff = {
    weightChanges: [],
    modelsAdded: [],
    modelsRemoved: [],
    routesAdded: Object.keys(after.routes).filter((route) => !(route in before.routes)),
    routesRemoved: Object.keys(before.routes).filter((route) => !(route in after.routes)),
    categoriesAdded: [...categoriesAfter].filter((name) => !categoriesBefore.has(name)).sort(),
    categoriesRemoved: [...categoriesBefore].filter((name) => !categoriesAfter.has(name)).sort(),
    maxL1: 0,
  };
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const [route = '', category = ''] = key.split('\u0000');
    const left = a.get(key) ?? new Map<string, number>();
    const right = b.get(key) ?? new Map<string, number>();
    let l1 = 0;
    for (const model of new Set([...left.keys(), ...right.keys()])) {
      const from = left.get(model);
      const to = right.get(model);
      l1 += Math.abs((to ?? 0) - (from ?? 0));
      if (from === undefined && to !== undefined) diff.modelsAdded.push({ route, category, model, weight: to });
      else if (to === undefined && from !== undefined) diff.modelsRemoved.push({ route, category, model, weight: from });
      else if (from !== undefined && to !== undefined && Math.abs(to - from) > epsilon) {
        diff.weightChanges.push({ route, category, model, from, to });
      }
    }
    diff.maxL1 = Math.max(diff.maxL1, l1);
  }
  diff.weightChanges.sort((x, y) => Math.abs(y.to - y.from) - Math.abs(x.to - x.from));
  return diff;
}
