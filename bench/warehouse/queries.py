"""The 10M-row fact for the query benchmark, and the timing of sql/analysis/ against it."""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from pathlib import Path

from sqlshell import literal, psql, timings

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "sql" / "migrations" / "model.json"
DATASET = "bench-10m"
COPIES = 10

# query -> parameters after the dataset: a month, a quarter, a week, a category. The synthetic
# categories follow the real extract's mix: Saree is rare (its lines found through the product index),
# Set common (a scan of the quarter's partitions).
QUERIES = {
    "sales_by_month_category": ["2022-04-01", "2022-04-30"],
    "top_products": ["2022-04-01", "2022-06-30", "Saree", 10],
    "top_products_common": ["2022-04-01", "2022-06-30", "Set", 10],
    "state_revenue": ["2022-04-01", "2022-06-30"],
    "cancellation_rate": ["2022-05-02", "2022-05-08"],
    "promotion_effect": ["2022-04-01", "2022-04-30"],
}

# A label of QUERIES -> its file in sql/analysis/, where they differ.
FILES = {"top_products_common": "top_products"}

COLUMNS = (
    "dataset, dt, order_id, sku, date_key, product_key, location_key, fulfilment_key, status_key, "
    "promotion_group_key, qty, amount, gross_amount, realised_amount, lost_amount, promo_count, is_b2b, "
    "is_cancelled, is_non_amazon"
)


def build_ten_million(part: str, plain: str, source_dataset: str, copies: int = COPIES) -> dict:
    """`copies` shifted copies (ten) of the 1M loaded lines spread over 2022 in `part` (indexes rebuilt after
    the bulk insert, as a one-off backfill would), and the same rows in a plain heap in `plain`."""
    started = time.perf_counter()
    fact = f"{part}.fact_order_lines"
    months = "\n".join(
        f"create table if not exists {fact}_p2022_{m:02d} partition of {fact} "
        f"for values from ('2022-{m:02d}-01') to ('{2022 + m // 12}-{m % 12 + 1:02d}-01');"
        for m in range(1, 13)
    )
    # Same columns as COLUMNS; the source's dt moves to day d of 2022, the order id gets the copy number.
    select = (
        f"'{DATASET}', d, order_id || '-' || k, sku, cast(to_char(d, 'YYYYMMDD') as int), product_key, "
        "location_key, fulfilment_key, status_key, promotion_group_key, qty, amount, gross_amount, "
        "realised_amount, lost_amount, promo_count, is_b2b, is_cancelled, is_non_amazon"
    )
    spread = "date '2022-01-01' + cast((abs(hashtext(order_id)::bigint) + k * 37) % 365 as int)"
    # The loader's day partitions make way for month partitions over the whole year (the source
    # rows wait in a temporary table).
    drop_partitions = (
        "do $$ declare t regclass; begin for t in select inhrelid::regclass from pg_inherits "
        f"where inhparent = '{fact}'::regclass loop execute 'drop table ' || t; end loop; end $$;"
    )
    psql(f"""
        begin;
        create temp table source_lines as
        select * from {fact} where dataset = {literal(source_dataset)};
        {drop_partitions}
        {months}
        {model_indexes(part, drop=True)}
        insert into {part}.fact_order_lines ({COLUMNS})
        select {select}
        from source_lines as f cross join generate_series(0, {copies - 1}) as k
        cross join lateral (select {spread} as d) as x;
        {model_indexes(part)}
        drop schema if exists {plain} cascade;
        create schema {plain};
        create table {plain}.fact_order_lines as select * from {part}.fact_order_lines;
        commit;
    """)
    views = "\n".join(
        f"create view {plain}.{t} as select * from {part}.{t};"
        for t in (
            "dim_date",
            "dim_product",
            "dim_location",
            "dim_fulfilment",
            "dim_status",
            "dim_promotion",
            "bridge_order_line_promotion",
        )
    )
    psql(views)
    psql(f"vacuum analyze {part}.fact_order_lines;")
    psql(f"vacuum analyze {plain}.fact_order_lines;")
    rows = int(psql(f"select count(*) from {plain}.fact_order_lines").strip())
    return {"dataset": DATASET, "rows": rows, "seconds": round(time.perf_counter() - started)}


def model_indexes(part: str, drop: bool = False, model: Path = MODEL) -> str:
    """The fact's primary key (unless PostgreSQL declares none) and PostgreSQL indexes as the model
    has them (sql/migrations/model.json), created, or dropped before a bulk insert."""
    tables = json.loads(model.read_text())
    fact = next(t for t in tables if t["name"] == "fact_order_lines")
    if drop:
        return "\n".join(
            [f"alter table {part}.fact_order_lines drop constraint if exists fact_order_lines_pkey;"]
            + [f"drop index if exists {part}.{ix['name']};" for ix in fact["postgres"]["indexes"]]
        )
    statements = []
    if not fact["postgres"].get("primaryKeyNotDeclared"):
        keys = ", ".join(fact["primaryKey"])
        statements.append(f"alter table {part}.fact_order_lines add primary key ({keys});")
    for ix in fact["postgres"]["indexes"]:
        unique = "unique " if ix.get("unique") else ""
        columns = ", ".join(ix["columns"])
        statements.append(f"create {unique}index {ix['name']} on {part}.fact_order_lines ({columns});")
    return "\n".join(statements)


def run_query(schema: str, name: str, runs: int) -> tuple[float, str]:
    """Median ms of `runs` executions of a prepared analysis query, and a digest of its result."""
    sql = (
        (ROOT / "sql" / "analysis" / f"{FILES.get(name, name)}.sql")
        .read_text()
        .replace("sales.", f"{schema}.")
        .rstrip()
        .rstrip(";")
    )
    args = ", ".join(literal(v) for v in [DATASET, *QUERIES[name]])
    script = f"prepare q as {sql};\n" + f"execute q({args});\n" * runs
    out = psql(script, timing=True)
    times = timings(out)[1:]  # the first line times PREPARE
    rows = "\n".join(line for line in out.splitlines() if not line.startswith("Time: "))
    return statistics.median(times), hashlib.sha256(rows.encode()).hexdigest()


def time_queries(part: str, plain: str, runs: int = 3) -> dict:
    out = {}
    for name, params in QUERIES.items():
        run_query(part, name, 1)  # warm the cache for both variants alike
        run_query(plain, name, 1)
        p_ms, p_digest = run_query(part, name, runs)
        q_ms, q_digest = run_query(plain, name, runs)
        out[name] = {
            "params": ", ".join(map(str, params)),
            "partitioned_ms": round(p_ms, 1),
            "plain_ms": round(q_ms, 1),
            "same_result": p_digest == q_digest,
        }
        print(f"[bench-warehouse]   {name}: {out[name]}", flush=True)
    return out
