"""
A second opinion on the replay benchmark's full-information ceiling (packages/optimizer/src/replay/ceiling.ts),
from a text model outside Switchyard: per-model logistic regression on TF-IDF word 1-2-grams, character 2-4-grams
and log length, predicting each model's success on a prompt from every model's outcome on other prompts.

  mode "crossfit":   5-fold cross-fitted over all prompts (each prompt predicted by a model that never saw it);
  mode "warm":       trained on a random 10 % of the prompts (what the replay reveals in full), tested on the rest.

Each prompt goes to the model with the best predicted success - lambda * its mean cost / the priciest mean cost; the
AIQ (RouterBench, as packages/optimizer/src/replay/metrics.ts) of that sweep is printed beside frontier mixing (the
hull of the single models on the same prompts), with the cost share at 99 % of the best single model's quality.

Needs Debian's python3-sklearn (apt-get install python3-sklearn), run with /usr/bin/python3:
  /usr/bin/python3 bench/analysis/text-ceiling.py ../shared/replay/gsm8k.jsonl ../shared/replay/models.json crossfit
"""
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from common import aiq, features, load

LAMBDAS = [0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1, 2, 5, 10, 50]


def predict(texts, scores, train, test):
    x_train, x_test = features([texts[i] for i in train], [texts[i] for i in test])
    out = np.zeros((len(test), scores.shape[1]))
    for model in range(scores.shape[1]):
        y = (scores[train, model] >= 0.5).astype(int)
        if y.min() == y.max():
            out[:, model] = y[0]
            continue
        out[:, model] = LogisticRegression(C=1.0, max_iter=2000).fit(x_train, y).predict_proba(x_test)[:, 1]
    return out


def main():
    bench_path, models_path, mode = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "crossfit"
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    names, texts, scores, costs = load(bench_path, models_path)
    count = len(texts)
    if mode == "crossfit":
        evaluated = np.arange(count)
        predicted = np.zeros_like(scores)
        mean_costs = np.zeros_like(scores)
        for train, test in KFold(5, shuffle=True, random_state=seed).split(texts):
            predicted[test] = predict(texts, scores, train, test)
            mean_costs[test] = costs[train].mean(0)
    else:
        order = np.random.default_rng(seed).permutation(count)
        train, evaluated = order[: int(0.1 * count)], order[int(0.1 * count) :]
        predicted = predict(texts, scores, train, evaluated)
        mean_costs = np.tile(costs[train].mean(0), (len(evaluated), 1))
    scores, costs = scores[evaluated], costs[evaluated]
    quality, cost = scores.mean(0), costs.mean(0) * 1000
    singles = list(zip(cost, quality))
    low, high = cost.min(), cost.max()
    rows = np.arange(len(evaluated))
    sweep = []
    for lam in LAMBDAS:
        pick = (predicted - lam * mean_costs / mean_costs.max(1, keepdims=True)).argmax(1)
        sweep.append((costs[rows, pick].mean() * 1000, scores[rows, pick].mean()))
    best = quality.argmax()
    reaching = [point for point in sweep if point[1] >= 0.99 * quality[best]]
    anchor = [(low, quality[cost.argmin()])]
    print(
        json.dumps(
            {
                "bench": bench_path.split("/")[-1],
                "mode": mode,
                "seed": seed,
                "prompts_evaluated": int(len(evaluated)),
                "frontier_mixing_aiq": round(aiq(singles, low, high), 4),
                "text_model_aiq": round(aiq(sweep + anchor, low, high), 4),
                "best_single": {"model": names[best], "quality": round(float(quality[best]), 4), "cost_per_1k": round(float(cost[best]), 4)},
                "cost_share_at_99pct": round(min(reaching)[0] / cost[best], 3) if reaching else None,
            }
        )
    )


if __name__ == "__main__":
    main()
