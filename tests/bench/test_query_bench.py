"""The query benchmark's 10M-row fact has the model's keys and indexes, its synthetic lines the real
category mix, and the memory benchmark's big day is in key order."""

import collections
import json
import random
import sys
from pathlib import Path

import queries

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sql"))
import silver_synthetic  # noqa: E402


def test_the_10m_fact_gets_the_keys_and_indexes_of_the_model():
    # The model declares no primary key for the fact on PostgreSQL (the loader checks it).
    built = queries.model_indexes("bench_copy")
    assert built.splitlines() == [
        "create index fact_order_lines_product_ix on bench_copy.fact_order_lines (product_key);",
    ]
    dropped = queries.model_indexes("bench_copy", drop=True)
    assert "drop index if exists bench_copy.fact_order_lines_product_ix;" in dropped.splitlines()


def test_a_changed_model_changes_what_the_benchmark_builds(tmp_path):
    tables = json.loads(queries.MODEL.read_text())
    fact = next(t for t in tables if t["name"] == "fact_order_lines")
    fact["postgres"]["indexes"] = [
        {"name": "fact_order_lines_status_ix", "columns": ["status_key", "dt"], "unique": False, "reason": ""}
    ]
    model = tmp_path / "model.json"
    model.write_text(json.dumps(tables))
    built = queries.model_indexes("s", model=model).splitlines()
    assert built == ["create index fact_order_lines_status_ix on s.fact_order_lines (status_key, dt);"]
    # A model that declares the key again gets it back.
    del fact["postgres"]["primaryKeyNotDeclared"]
    model.write_text(json.dumps(tables))
    assert queries.model_indexes("s", model=model).splitlines()[0] == (
        "alter table s.fact_order_lines add primary key (dataset, dt, order_id, sku);"
    )
    assert "drop index if exists s.fact_order_lines_status_ix;" in queries.model_indexes("s", True, model)
    assert "product_ix" not in "\n".join(built)


def test_synthetic_lines_follow_the_real_category_mix():
    pool = silver_synthetic.template_pool(random.Random(1_000_000))
    counts = collections.Counter(pool.column("category").to_pylist())
    share = {k: v / pool.num_rows for k, v in counts.items()}
    # The real extract: Set 39 %, kurta 39 %, Saree 0.13 % of 128,975 lines.
    assert 0.33 < share["Set"] < 0.45 and 0.33 < share["kurta"] < 0.45
    assert 0 < share["Saree"] < 0.005
    # Both top_products cases of the benchmark ask for a category the pool has.
    asked = {p[2] for name, p in queries.QUERIES.items() if queries.FILES.get(name, name) == "top_products"}
    assert asked == {"Saree", "Set"} and asked <= share.keys()


def test_the_memory_benchmark_writes_a_big_day_in_key_order_across_its_chunks(monkeypatch):
    # warehouse-load refuses a day whose lines are not sorted by (order_id, sku) across its parts.
    import memory

    monkeypatch.setattr(memory, "CHUNK", 300)
    rng = random.Random(5)
    pool = silver_synthetic.template_pool(rng, size=50)
    chunks = [memory.chunk_table(pool, rng, "d", 300, offset) for offset in (0, 300, 600)]
    keys = [
        (o.encode(), s.encode())
        for t in chunks
        for o, s in zip(t["order_id"].to_pylist(), t["sku"].to_pylist(), strict=True)
    ]
    assert len(keys) == 900
    assert keys == sorted(set(keys))
