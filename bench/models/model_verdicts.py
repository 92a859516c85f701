"""The comparison rules of `make bench-models`, in plain Python (no numpy) so the negative-control
tests in tests/bench run them in the main environment.

Forecast: both sides are scored on the same rolling origins (horizon 14, origins a week apart,
newest first, at least 21 training days) with the same MASE (scaled by the in-sample
seasonal-naive error, lag 7). Ours must be within 5 % of the peer's MASE or better.
Clustering: the same standardised matrix and k on both sides; inertia within 1 %, ARI >= 0.9.
"""

from collections import Counter
from collections.abc import Callable, Sequence

HORIZON = 14
SEASON = 7
MAX_FOLDS = 8
MIN_TRAIN = 3 * SEASON
MASE_TOLERANCE = 0.05
INERTIA_TOLERANCE = 0.01
MIN_ARI = 0.9

Forecaster = Callable[[list[float], int], list[float]]


def folds(n: int, horizon: int = HORIZON, max_folds: int = MAX_FOLDS) -> list[int]:
    """Origins (index of the first test day), newest first, as tasks/src/models/backtest.ts."""
    out, origin = [], n - horizon
    while origin >= MIN_TRAIN and len(out) < max_folds:
        out.append(origin)
        origin -= SEASON
    return out


def mase(actual: Sequence[float], predicted: Sequence[float], train: Sequence[float]) -> float:
    lags = [abs(train[t] - train[t - SEASON]) for t in range(SEASON, len(train))]
    scale = sum(lags) / len(lags)
    return sum(abs(a - p) for a, p in zip(actual, predicted, strict=True)) / len(actual) / scale


def seasonal_naive(train: list[float], horizon: int) -> list[float]:
    return [train[len(train) - SEASON + (i % SEASON)] for i in range(horizon)]


def backtest_mase(y: list[float], forecaster: Forecaster) -> float:
    """Mean MASE of a forecaster over the rolling origins of `y`."""
    scores = []
    for origin in folds(len(y)):
        train, test = y[:origin], y[origin : origin + HORIZON]
        scores.append(mase(test, forecaster(train, HORIZON), train))
    return sum(scores) / len(scores)


def forecast_verdict(ours: float, peer: float) -> dict:
    """'win' if our MASE is within 5 % of the peer's or lower, else 'loss'."""
    ratio = ours / peer
    return {
        "ours_mase": ours,
        "peer_mase": peer,
        "ratio": ratio,
        "verdict": "win" if ratio <= 1 + MASE_TOLERANCE else "loss",
    }


def adjusted_rand_index(x: Sequence[int], y: Sequence[int]) -> float:
    def pairs(n: int) -> float:
        return n * (n - 1) / 2

    index = sum(pairs(n) for n in Counter(zip(x, y, strict=True)).values())
    a = sum(pairs(n) for n in Counter(x).values())
    b = sum(pairs(n) for n in Counter(y).values())
    expected = a * b / pairs(len(x))
    top = (a + b) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def kmeans_verdict(
    ours_inertia: float, peer_inertia: float, ours_labels: Sequence[int], peer_labels: Sequence[int]
) -> dict:
    """'win' when inertia is within 1 % of the peer's (or lower) and the partitions agree (ARI >= 0.9)."""
    gap = (ours_inertia - peer_inertia) / peer_inertia
    ari = adjusted_rand_index(ours_labels, peer_labels)
    ok = gap <= INERTIA_TOLERANCE and ari >= MIN_ARI
    return {"inertia_gap": gap, "ari": ari, "verdict": "win" if ok else "loss"}
