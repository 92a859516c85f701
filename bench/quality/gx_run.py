"""Great Expectations 1.x (pandas engine) running the same suite file on the same Parquet partitions.

.venv-bench/bin/python bench/quality/gx_run.py [--together] SUITE.json DIR [DIR...]   -> a JSON line per DIR

--together validates the multicolumn sum in the same suite as the rest, as GX users would (and as
this harness once did), to show that its verdict then depends on PYTHONHASHSEED.

Each expectation gets an id (its index in the suite file) and its result is found by that id, so a
verdict can never be another expectation's (GX leaves `id` None outside a data context; a lookup by
that id once held a single result and repeated its verdict for all 77).
"""

import copy
import json
import os
import resource
import sys
import time
from pathlib import Path

import great_expectations as gx
import pandas as pd
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

OBSERVED = ("element_count", "unexpected_count", "missing_count", "observed_value")
# GX's aggregate metrics (column.mean, column.sum, ...) convert a Decimal column to floats in place,
# in the frame being validated, so an expectation run after them in the same suite sees floats in one
# column and Decimals in another; which runs first follows set order, i.e. PYTHONHASHSEED. The multi-
# column sum then fails at random. It is validated alone; every suite gets its own copy of the frame.
ISOLATED = {"expect_multicolumn_sum_to_equal"}


def build_suite(name: str, configs: list) -> gx.ExpectationSuite:
    """A suite of copies: adding a configuration that replaces another rewrites the new one's id."""
    suite = gx.ExpectationSuite(name=name)
    for cfg in configs:
        suite.add_expectation_configuration(copy.deepcopy(cfg))
    return suite


def group(configs: list) -> list[list]:
    """GX keeps one expectation per type and domain in a suite: a second not-null check of `amount`
    at another `mostly` replaces the first. Expectations that would collide go to a further suite,
    validated on the same data; ISOLATED ones get a suite of their own."""
    groups: list[list] = []
    for cfg in configs:
        if cfg.type in ISOLATED:
            groups.append([cfg])
            continue
        for g in groups:
            if g[0].type not in ISOLATED and len(build_suite("probe", [*g, cfg]).expectations) == len(g) + 1:
                g.append(cfg)
                break
        else:
            groups.append([cfg])
    return groups


def plain(value):
    """JSON-safe observed value (GX may hand back Decimal, numpy scalars, dates)."""
    return json.loads(json.dumps(value, default=str))


def error_of(info: dict) -> str | None:
    """GX's exception_info: flat for the expectation, or one entry per metric that raised."""
    entries = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    messages = [str(e.get("exception_message")) for e in entries if e.get("raised_exception")]
    return "; ".join(messages) or None


def one_result(r) -> dict:
    return {
        "success": bool(r.success),
        "observed": {k: plain(r.result[k]) for k in OBSERVED if k in (r.result or {})},
        "error": error_of(r.exception_info or {}),
    }


def run(context, n: int, groups: list[list], folder: Path, total: int) -> dict:
    started = time.perf_counter()
    files = sorted(folder.glob("*.parquet"))
    df = pd.concat([pd.read_parquet(p) for p in files], ignore_index=True)
    asset = context.data_sources.add_pandas(f"bench{n}").add_dataframe_asset("silver")
    definition = asset.add_batch_definition_whole_dataframe("all")
    by_id: dict[str, dict] = {}
    for k, g in enumerate(groups):
        batch = definition.get_batch(batch_parameters={"dataframe": df.copy(deep=True)})
        for r in batch.validate(build_suite(f"suite{n}_{k}", g), result_format="BASIC").results:
            by_id[r.expectation_config.id] = one_result(r)
    seconds = time.perf_counter() - started
    missing = [i for i in range(total) if str(i) not in by_id]
    if missing:
        raise SystemExit(f"GX returned no result for expectations {missing} on {folder}")
    results = [by_id[str(i)] for i in range(total)]
    return {
        "dir": str(folder),
        "hash_seed": os.environ.get("PYTHONHASHSEED"),
        "rows": len(df),
        "seconds": seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "verdicts": [r["success"] for r in results],
        "results": results,
        "errors": [f"#{i} {r['error']}" for i, r in enumerate(results) if r["error"]],
    }


def main() -> None:
    args = sys.argv[1:]
    if args and args[0] == "--together":
        ISOLATED.clear()
        args = args[1:]
    suite_file, folders = Path(args[0]), [Path(a) for a in args[1:]]
    doc = json.loads(suite_file.read_text())
    configs = [
        ExpectationConfiguration(
            type=e["type"],
            kwargs=e["kwargs"],
            meta=e.get("meta"),
            severity=e.get("severity", "critical"),
            id=str(i),
        )
        for i, e in enumerate(doc["expectations"])
    ]
    groups = group(configs)
    context = gx.get_context(mode="ephemeral")
    for n, folder in enumerate(folders):
        print(json.dumps(run(context, n, groups, folder, len(configs))), flush=True)


if __name__ == "__main__":
    main()
