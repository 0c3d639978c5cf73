"""
How far below frontier mixing a router lands that knows every model's outcome on part of the prompts but does not read
the prompt: the price of choosing among near-tied models from a sample, against the hindsight best of the rest.

For each of `splits` random splits, the prompts are cut into a learning part (`fraction` of them, every model's score
and cost revealed, far more than an online policy sees) and an evaluation part. For each lambda of the replay's grid
(DEFAULT_LAMBDAS in packages/optimizer/src/replay/report.ts) the router picks the model with the best learning-part
mean score - lambda * its mean cost / the priciest model's; the AIQ of those models' points on the evaluation part is
compared with frontier mixing there (the hull of every single model, chosen in hindsight on the same prompts). Routing
by single models can at best equal frontier mixing (its points are a subset of the hull's), so the gap is never
positive; its size is what the replay's AIQ target asks a policy to win back from the prompt text.

Needs numpy (Debian's python3-numpy), run with /usr/bin/python3:
  /usr/bin/python3 bench/analysis/hindsight-gap.py ../shared/replay/gsm8k.jsonl ../shared/replay/models.json 0.5
"""
import json
import sys

import numpy as np

from common import REPLAY_LAMBDAS as LAMBDAS, aiq, load


def main():
    bench_path, models_path = sys.argv[1], sys.argv[2]
    fraction = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
    splits = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    names, _texts, scores, costs = load(bench_path, models_path)
    rng = np.random.default_rng(0)
    gaps, best_quality_gaps, same_best = [], [], 0
    for _ in range(splits):
        order = rng.permutation(len(scores))
        cut = int(round(fraction * len(scores)))
        learn, evaluate = order[:cut], order[cut:]
        learned_quality, learned_cost = scores[learn].mean(0), costs[learn].mean(0)
        quality, cost = scores[evaluate].mean(0), costs[evaluate].mean(0) * 1000
        low, high = cost.min(), cost.max()
        anchor = (low, quality[cost.argmin()])
        picks = {int(np.argmax(learned_quality - lam * learned_cost / learned_cost.max())) for lam in LAMBDAS}
        routed = aiq([(cost[m], quality[m]) for m in picks] + [anchor], low, high)
        gaps.append(routed - aiq(list(zip(cost, quality)), low, high))
        best_quality_gaps.append(quality[learned_quality.argmax()] - quality.max())
        same_best += int(learned_quality.argmax() == quality.argmax())
    gaps = np.array(gaps)
    print(
        json.dumps(
            {
                "bench": bench_path.split("/")[-1],
                "learning_fraction": fraction,
                "splits": splits,
                "aiq_gap_to_frontier_mixing": {
                    "mean": round(float(gaps.mean()), 4),
                    "median": round(float(np.median(gaps)), 4),
                    "p10": round(float(np.quantile(gaps, 0.1)), 4),
                    "share_equal": round(float((gaps > -1e-9).mean()), 3),
                },
                "lambda_0_quality_gap_mean": round(float(np.mean(best_quality_gaps)), 4),
                "learned_best_is_hindsight_best": round(same_best / splits, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
