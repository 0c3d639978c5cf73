"""
The replay protocol (packages/optimizer/src/replay/simulate.ts) run by a router outside Switchyard that reads the
prompt with a stronger text model than the product's: does per-prompt text help when, after the warm start, only the
chosen model's outcome is revealed?

Protocol as the replay's: shuffle with the seed (numpy's, so the prompt order differs from the TypeScript replay's),
reveal the first 10 % in full, then for each online prompt draw one model and reveal only its score; refit every 50
prompts. The router is Thompson sampling on each model's success rate (Beta posterior with its counts multiplied by
`sharpen`, as the product sharpens its weights), and, in mode "text", each model's per-prompt success predicted by a
logistic regression on TF-IDF word 1-2-grams, character 2-4-grams and log length (text-ceiling.py's model) fitted on
the prompts where that model was drawn: the draw moves the model's logit by its sampled rate's offset from its mean.
Mode "mean" leaves the text out, so the two differ only by the prompt. A point is the expectation over the router's
distribution (32 draws per prompt), as in the replay; the sweep is the replay's lambda grid.

Needs Debian's python3-sklearn, run with /usr/bin/python3 (text mode: 2-10 minutes per bench and seed):
  /usr/bin/python3 bench/analysis/text-bandit.py ../shared/replay/cruxeval.jsonl ../shared/replay/models.json text 1
"""
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

from common import REPLAY_LAMBDAS as LAMBDAS, aiq, features, load

WARM_START, REFIT_EVERY, DRAWS = 0.1, 50, 32


def logit(p):
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def text_predictions(texts, seen, batch, observed, prior):
    """Per prompt of the batch and model, the success predicted from the text by that model's own observations."""
    train, test = features([texts[i] for i in seen], [texts[i] for i in batch])
    predicted = np.tile(prior, (len(batch), 1))
    for model, rows in enumerate(observed):
        prompts = np.array([prompt for prompt, _ in rows])
        success = np.array([score >= 0.5 for _, score in rows], int)
        if success.min() != success.max():
            predicted[:, model] = LogisticRegression(C=1.0, max_iter=1000, solver="liblinear").fit(train[prompts], success).predict_proba(test)[:, 1]
    return predicted


def replay(texts, scores, costs, lam, use_text, sharpen, rng):
    count, models = scores.shape
    warm = int(round(WARM_START * count))
    observed = [[(prompt, scores[prompt, model]) for prompt in range(warm)] for model in range(models)]
    cost_sum, cost_count = costs[:warm].sum(0), np.full(models, warm, float)
    quality, cost = 0.0, 0.0
    for start in range(warm, count, REFIT_EVERY):
        batch = list(range(start, min(count, start + REFIT_EVERY)))
        successes = np.array([sum(score for _, score in rows) for rows in observed])
        trials = np.array([len(rows) for rows in observed], float)
        mean = (successes + 1) / (trials + 2)
        predicted = text_predictions(texts, list(range(start)), batch, observed, mean) if use_text else np.tile(mean, (len(batch), 1))
        mean_cost = cost_sum / cost_count
        penalty = lam * mean_cost / mean_cost.max()
        for row, prompt in enumerate(batch):
            rates = rng.beta(successes * sharpen + 1, (trials - successes) * sharpen + 1, size=(DRAWS, models))
            drawn = 1 / (1 + np.exp(-(logit(predicted[row]) + logit(rates) - logit(mean))))
            weights = np.bincount((drawn - penalty).argmax(1), minlength=models) / DRAWS
            quality += weights @ scores[prompt]
            cost += weights @ costs[prompt]
            chosen = rng.choice(models, p=weights)
            observed[chosen].append((prompt, scores[prompt, chosen]))
            cost_sum[chosen] += costs[prompt, chosen]
            cost_count[chosen] += 1
    online = count - warm
    return cost / online * 1000, quality / online


def main():
    bench_path, models_path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    sharpen = float(sys.argv[5]) if len(sys.argv) > 5 else 8.0
    names, texts, scores, costs = load(bench_path, models_path)
    order = np.random.default_rng(seed).permutation(len(texts))
    texts, scores, costs = [texts[i] for i in order], scores[order], costs[order]
    online = slice(int(round(WARM_START * len(texts))), None)
    quality, cost = scores[online].mean(0), costs[online].mean(0) * 1000
    rng = np.random.default_rng(seed + 1000)
    sweep = [replay(texts, scores, costs, lam, mode == "text", sharpen, rng) for lam in LAMBDAS]
    low, high = cost.min(), max(cost.max(), max(point[0] for point in sweep))
    best = quality.argmax()
    reaching = [point for point in sweep if point[1] >= 0.99 * quality[best]]
    print(
        json.dumps(
            {
                "bench": bench_path.split("/")[-1],
                "mode": mode,
                "seed": seed,
                "sharpen": sharpen,
                "frontier_mixing_aiq": round(aiq(list(zip(cost, quality)), low, high), 4),
                "router_aiq": round(aiq(sweep + [(low, quality[cost.argmin()])], low, high), 4),
                "best_single": {"model": names[best], "quality": round(float(quality[best]), 4), "cost_per_1k": round(float(cost[best]), 4)},
                "cost_share_at_99pct": round(min(reaching)[0] / cost[best], 3) if reaching else None,
            }
        )
    )


if __name__ == "__main__":
    main()
