"""
What the analysis scripts share: reading a replay bench (../shared/replay format) into score and cost matrices, the
replay's lambda grid, the text features of the TF-IDF model, and RouterBench's AIQ as packages/optimizer/src/replay/metrics.ts computes it (the area under the non-decreasing upper
convex hull of (cost, quality) points, flat after its best point, over [low, high], divided by high - low).
"""
import json

import numpy as np

# The replay's lambda grid (DEFAULT_LAMBDAS in packages/optimizer/src/replay/report.ts).
REPLAY_LAMBDAS = [0, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 20, 50]


def load(bench_path, models_path):
    """Model names (priced ones, sorted), prompt texts, and per prompt x model score and cost (USD)."""
    lines = [json.loads(line) for line in open(bench_path) if line.strip()]
    prices = {entry["model"]: (entry["input_usd_per_mtok"], entry["output_usd_per_mtok"]) for entry in json.load(open(models_path))}
    names = sorted(name for name in lines[0]["outcomes"] if name in prices)
    texts = [line["prompt"] for line in lines]
    scores = np.array([[line["outcomes"][name]["score"] for name in names] for line in lines], float)
    costs = np.array(
        [[(line["outcomes"][name]["input_tokens"] * prices[name][0] + line["outcomes"][name]["output_tokens"] * prices[name][1]) / 1e6 for name in names] for line in lines]
    )
    return names, texts, scores, costs


def hull(points):
    monotone = []
    for cost, quality in sorted(points, key=lambda point: (point[0], -point[1])):
        if monotone and quality <= monotone[-1][1]:
            continue
        monotone.append((cost, quality))
    upper = []
    for point in monotone:
        while len(upper) >= 2:
            a, b = upper[-2], upper[-1]
            if (b[0] - a[0]) * (point[1] - a[1]) - (b[1] - a[1]) * (point[0] - a[0]) >= 0:
                upper.pop()
            else:
                break
        upper.append(point)
    return upper


def aiq(points, low, high):
    upper = hull(points)

    def value(x):
        if x < upper[0][0]:
            return 0.0
        for index in range(1, len(upper)):
            if x <= upper[index][0]:
                a, b = upper[index - 1], upper[index]
                return a[1] + (b[1] - a[1]) * (x - a[0]) / ((b[0] - a[0]) or 1)
        return upper[-1][1]

    xs = np.linspace(low, high, 20001)
    return float(np.trapz([value(x) for x in xs], xs) / (high - low))


def features(train_texts, test_texts):
    """TF-IDF word 1-2-grams, character 2-4-grams and log length, fitted on the training texts (scipy and sklearn,
    imported here so the scripts that need only numpy run without them)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer


    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True)
    length = lambda texts: csr_matrix(np.log1p([[len(text)] for text in texts]))
    train = hstack([words.fit_transform(train_texts), chars.fit_transform(train_texts), length(train_texts)]).tocsr()
    test = hstack([words.transform(test_texts), chars.transform(test_texts), length(test_texts)]).tocsr()
    return train, test
