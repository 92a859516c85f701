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
    suite = gx.ExpectationSuite(name=doc["name"])
    for e in doc["expectations"]:
        cfg = gx.expectations.expectation_configuration.ExpectationConfiguration(
            type=e["type"], kwargs=e["kwargs"], meta=e.get("meta"), severity=e.get("severity", "critical")
        )
        suite.add_expectation_configuration(cfg)
    result = batch.validate(suite, result_format="BASIC")
    seconds = time.perf_counter() - started
    by_id = {r.expectation_config.id: r for r in result.results}
    verdicts = [bool(by_id[e.id].success) for e in suite.expectations]
    errors = [
        f"#{i} {r.exception_info.get('exception_message')}"
        for i, r in enumerate(by_id[e.id] for e in suite.expectations)
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
