"""The peers' side of `make bench-models` (bench venv): statsmodels ExponentialSmoothing on the same
rolling origins, scikit-learn KMeans on our standardised matrix with our k.
Usage: peer.py <input.json> <ours.json>  -> one JSON result on stdout."""

import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from statsmodels.tsa.holtwinters import ExponentialSmoothing

sys.path.insert(0, str(Path(__file__).parent))
from model_verdicts import backtest_mase, seasonal_naive  # noqa: E402


def holt_winters(train: list[float], horizon: int) -> list[float]:
    """Additive trend and weekly season, parameters estimated by statsmodels."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ExponentialSmoothing(np.asarray(train), trend="add", seasonal="add", seasonal_periods=7).fit()
    return [max(0.0, v) for v in fit.forecast(horizon)]


def main() -> None:
    series = json.loads(Path(sys.argv[1]).read_text())["series"]
    ours = json.loads(Path(sys.argv[2]).read_text())
    started = time.perf_counter()
    peer_mase = backtest_mase(series, holt_winters)
    forecast_seconds = time.perf_counter() - started
    matrix = np.asarray(ours["kmeans"]["matrix"])
    started = time.perf_counter()
    km = KMeans(n_clusters=ours["kmeans"]["k"], init="k-means++", n_init=10, random_state=0).fit(matrix)
    kmeans_seconds = time.perf_counter() - started
    json.dump(
        {
            "forecast": {
                "mase": peer_mase,
                "seasonal_naive_mase": backtest_mase(series, seasonal_naive),
                "seconds": forecast_seconds,
            },
            "kmeans": {
                "inertia": float(km.inertia_),
                "labels": km.labels_.tolist(),
                "seconds": kmeans_seconds,
            },
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
