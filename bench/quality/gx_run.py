"""Great Expectations 1.x (pandas engine) running the same suite file on the same Parquet partition.

.venv-bench/bin/python bench/quality/gx_run.py SUITE.json DIR   -> one JSON line
"""

import json
import resource
import sys
import time
from pathlib import Path

import great_expectations as gx
import pandas as pd


def build_suite(name: str, configs: list) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name=name)
    for cfg in configs:
        suite.add_expectation_configuration(cfg)
    return suite


def main() -> None:
    suite_file, folder = Path(sys.argv[1]), Path(sys.argv[2])
    doc = json.loads(suite_file.read_text())
    started = time.perf_counter()
    files = sorted(p for p in folder.glob("*.parquet"))
    df = pd.concat([pd.read_parquet(p) for p in files], ignore_index=True)
    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("bench")
        .add_dataframe_asset("silver")
        .add_batch_definition_whole_dataframe("all")
        .get_batch(batch_parameters={"dataframe": df})
    )
    # GX keeps one expectation per type and domain in a suite: adding a second not-null check of
    # `amount` at another `mostly` (one critical, one warning) replaces the first. Expectations that
    # would collide go to a further suite, validated on the same batch; verdicts return in file order.
    groups: list[list] = []
    placed: list[tuple[int, int]] = []  # (group, position) of each file expectation
    for e in doc["expectations"]:
        cfg = gx.expectations.expectation_configuration.ExpectationConfiguration(
            type=e["type"], kwargs=e["kwargs"], meta=e.get("meta"), severity=e.get("severity", "critical")
        )
        for n, group in enumerate([*groups, []]):
            if len(build_suite("probe", [*group, cfg]).expectations) == len(group) + 1:
                if n == len(groups):
                    groups.append(group)
                placed.append((n, len(group)))
                group.append(cfg)
                break
    suites = [build_suite(f"{doc['name']}_{n}", group) for n, group in enumerate(groups)]
    results = []
    for suite in suites:
        by_id = {r.expectation_config.id: r for r in batch.validate(suite, result_format="BASIC").results}
        results.append([by_id[e.id] for e in suite.expectations])
    seconds = time.perf_counter() - started
    ordered = [results[n][i] for n, i in placed]
    verdicts = [bool(r.success) for r in ordered]
    errors = [
        f"#{i} {r.exception_info.get('exception_message')}"
        for i, r in enumerate(ordered)
        if r.exception_info and r.exception_info.get("raised_exception")
    ]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"rows": len(df), "seconds": seconds, "peak_rss_mb": peak, "verdicts": verdicts, "errors": errors}
        )
    )  # noqa: E501


if __name__ == "__main__":
    main()
