"""Writes bench/results/models.{json,md} from both sides' results, with the verdicts of model_verdicts.py.
Usage: report.py <input.json> <ours.json> <peer.json> <source csv>"""

import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from model_verdicts import forecast_verdict, kmeans_verdict  # noqa: E402

RESULTS = Path(__file__).resolve().parents[1] / "results"


def row(side: str, model: str, folds: int, r: dict) -> str:
    cells = [
        side,
        model,
        str(folds),
        f"{r['mase']:.4f}",
        f"{r['seasonal_naive_mase']:.4f}",
        f"{r['seconds']:.2f}",
    ]
    return f"| {' | '.join(cells)} |"


def main() -> None:
    inp, ours, peer = (json.loads(Path(p).read_text()) for p in sys.argv[1:4])
    fc = forecast_verdict(ours["forecast"]["mase"], peer["forecast"]["mase"])
    km = kmeans_verdict(
        ours["kmeans"]["inertia"],
        peer["kmeans"]["inertia"],
        ours["kmeans"]["labels"],
        peer["kmeans"]["labels"],
    )
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": Path(sys.argv[4]).name,
        "days": len(inp["series"]),
        "customers": len(inp["features"]),
        "forecast": {"ours": ours["forecast"], "peer": peer["forecast"], **fc},
        "kmeans": {
            "k": ours["kmeans"]["k"],
            "ours": {k: ours["kmeans"][k] for k in ("inertia", "seconds")},
            "peer": {k: peer["kmeans"][k] for k in ("inertia", "seconds")},
            **km,
        },
    }
    (RESULTS / "models.json").write_text(json.dumps(result, indent=2) + "\n")
    o, p = ours["forecast"], peer["forecast"]
    ok, pk = ours["kmeans"], peer["kmeans"]
    beats = {
        side: "beats" if r["mase"] < r["seasonal_naive_mase"] else "does not beat"
        for side, r in (("o", o), ("p", p))
    }
    when, machine = result["date"], f"{platform.machine()} ({platform.system()})"
    lines = [
        "# bench-models: our train step vs statsmodels and scikit-learn",
        "",
        f"Run {when} on {machine}, `make bench-models`. Input: `{result['source']}`",
        f"(the project's generator), aggregated directly: {result['days']} days of realised Amazon.in",
        f"revenue, {result['customers']} customers (ship postal codes).",
        "",
        "## Forecast: rolling-origin backtest (horizon 14, origins a week apart), MASE (lag-7 scaled)",
        "",
        "| side | model | folds | MASE | seasonal-naive MASE | wall time (s) |",
        "|---|---|---:|---:|---:|---:|",
        row("ours", "augurs MSTL (AutoETS trend), period 7", o["folds"], o),
        row("peer", "statsmodels ExponentialSmoothing (add trend, add season 7)", o["folds"], p),
        "",
        f"Ours / peer MASE = {fc['ratio']:.3f} (target <= 1.05): **{fc['verdict']}**. "
        f"Ours {beats['o']} seasonal-naive; statsmodels {beats['p']} it.",
        "",
        f"## Customer segments: k-means on the same standardised matrix, k = {result['kmeans']['k']}",
        "",
        "| side | algorithm | inertia | wall time (s) |",
        "|---|---|---:|---:|",
        f"| ours | ml-kmeans k-means++, k by silhouette | {ok['inertia']:.2f} | {ok['seconds']:.2f} |",
        f"| peer | scikit-learn KMeans, n_init=10, our k | {pk['inertia']:.2f} | {pk['seconds']:.2f} |",
        "",
        f"Inertia gap {100 * km['inertia_gap']:+.2f} % (target within 1 %), ARI between the assignments "
        f"{km['ari']:.3f} (target >= 0.9): **{km['verdict']}**.",
        "",
        "Our k-means time includes choosing k (k = 2..10, 3 restarts each on a sample, silhouettes) and the",
        "final fit (10 restarts); scikit-learn's is one fit at the given k. The negative controls of these",
        "rules are in tests/bench/test_models_compare.py.",
        "",
    ]
    (RESULTS / "models.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
