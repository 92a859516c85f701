"""Did the COPY load and the INSERT load leave the same fact table? Rows, gross amount and an
order-independent checksum of every row's natural columns. fact_checksum_sql is run by
bench_warehouse.py after each load; differences() is pure, so tests/bench/ can feed it loads known
to differ."""

from __future__ import annotations

# Surrogate keys are left out: two fresh schemas may number their dimension rows differently.
COLUMNS = "dataset, dt, order_id, sku, qty, amount, gross_amount, realised_amount, lost_amount, " \
    "promo_count, is_b2b, is_cancelled, is_non_amazon"  # fmt: skip


def fact_checksum_sql(schema: str) -> str:
    """One line: rows|gross sum|sum of each row's hash (first 60 bits of md5 of its text)."""
    row = f"md5(concat_ws('|', {COLUMNS}))"
    return (
        f"select count(*) || '|' || coalesce(sum(gross_amount), 0) || '|' || "
        f"coalesce(sum(('x' || substr({row}, 1, 15))::bit(60)::bigint), 0) from {schema}.fact_order_lines"
    )


def parse(line: str) -> dict:
    rows, gross, digest = line.strip().split("|")
    return {"rows": int(rows), "gross_amount": gross, "row_hash_sum": digest}


def differences(copy_load: dict, insert_load: dict) -> list[str]:
    """Each load: {"rows", "fact": parse(...)}; what differs between the two."""
    out = []
    if copy_load.get("rows") != insert_load.get("rows"):
        out.append(f"rows loaded: copy {copy_load.get('rows')} vs insert {insert_load.get('rows')}")
    a, b = copy_load.get("fact") or {}, insert_load.get("fact") or {}
    for key in ("rows", "gross_amount", "row_hash_sum"):
        if a.get(key) is None or a.get(key) != b.get(key):
            out.append(f"fact {key}: copy {a.get(key)} vs insert {b.get(key)}")
    return out


def bare_copy_differences(copy_load: dict) -> list[str]:
    """The bare COPY is the yardstick only if it COPYed every row the load left, in each format."""
    bare = copy_load.get("bare_copy") or {}
    if bare.get("rows") != copy_load.get("rows"):
        return [f"bare COPY rows: {bare.get('rows')} vs the load's {copy_load.get('rows')}"]
    return [
        f"bare COPY ({fmt}) rows: {bare[fmt].get('rows')} vs the load's {copy_load.get('rows')}"
        for fmt in ("text", "binary")
        if fmt in bare and bare[fmt].get("rows") != copy_load.get("rows")
    ]


def share(run: dict) -> float:
    """The load's rows/s over its bare COPY's."""
    return run["rows_per_s"] / run["bare_copy"]["rows_per_s"]


def median_run(runs: list[dict]) -> dict:
    """The run of median share (the later middle one of an even count), with every run's figures."""
    if len(runs) == 1:
        return runs[0]
    chosen = dict(sorted(runs, key=share)[len(runs) // 2])
    chosen["repeats"] = [
        {
            "seconds": r["seconds"],
            "rows_per_s": r["rows_per_s"],
            "bare_copy_rows_per_s": r["bare_copy"]["rows_per_s"],
            "share": round(share(r), 3),
        }
        for r in runs
    ]
    return chosen
