"""Negative controls of `make bench-models`' comparison (bench/models/model_verdicts.py): fed a model known
to be broken, the harness must report a loss, so a comparison that cannot fail is caught."""

import math
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "models"))
from model_verdicts import (  # noqa: E402
    adjusted_rand_index,
    backtest_mase,
    folds,
    forecast_verdict,
    kmeans_verdict,
    seasonal_naive,
)

WEEK = [20, -10, 5, 0, -15, 10, -10]
SERIES = [100 + 0.5 * t + WEEK[t % 7] + 2 * math.sin(1.7 * t) for t in range(91)]


def shuffled_seasonal_naive(train: list[float], horizon: int) -> list[float]:
    """The broken model: seasonal-naive of the training series shuffled (its weekly order lost)."""
    mixed = train[:]
    random.Random(7).shuffle(mixed)
    return seasonal_naive(mixed, horizon)


def test_the_splitter_matches_the_train_step():
    assert folds(91) == [77, 70, 63, 56, 49, 42, 35, 28]


def test_a_forecast_of_the_shuffled_series_is_reported_as_a_loss():
    peer = backtest_mase(SERIES, seasonal_naive)
    broken = backtest_mase(SERIES, shuffled_seasonal_naive)
    assert forecast_verdict(broken, peer)["verdict"] == "loss"
    assert forecast_verdict(peer, peer)["verdict"] == "win"


def test_a_forecast_5_percent_worse_is_the_limit():
    assert forecast_verdict(1.05, 1.0)["verdict"] == "win"
    assert forecast_verdict(1.06, 1.0)["verdict"] == "loss"


def test_shuffled_cluster_labels_or_a_worse_inertia_are_reported_as_a_loss():
    labels = [i % 3 for i in range(60)]
    shuffled = labels[:]
    random.Random(3).shuffle(shuffled)
    assert adjusted_rand_index(labels, [(x + 1) % 3 for x in labels]) == 1.0
    assert kmeans_verdict(100.0, 100.0, labels, [(x + 1) % 3 for x in labels])["verdict"] == "win"
    assert kmeans_verdict(100.0, 100.0, labels, shuffled)["verdict"] == "loss"
    assert kmeans_verdict(101.5, 100.0, labels, labels)["verdict"] == "loss"


def test_ari_matches_the_hand_computed_value():
    # pairs together in both: 1; in x: 2; in y: 1; of 6 -> expected 1/3, max 1.5 -> 4/7.
    assert math.isclose(adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]), 4 / 7)
