"""Do Spark's and pandas' silver outputs agree? Per date: the same dates, the same bronze and silver
rows and the same realised amount to the cent. Pure, so tests/bench/ can feed it outputs known to differ."""

from __future__ import annotations


def differences(spark_counts: dict, pandas_counts: dict) -> list[str]:
    """{date: {"bronze_rows", "silver_rows", "silver_realised_sum"}} of each side -> what differs."""
    out = []
    if not spark_counts:
        out.append("spark wrote no date at all")
    for d in sorted(set(spark_counts) ^ set(pandas_counts)):
        out.append(f"{d}: only {'spark' if d in spark_counts else 'pandas'} wrote this date")
    for d in sorted(set(spark_counts) & set(pandas_counts)):
        s, p = spark_counts[d], pandas_counts[d]
        for key in ("bronze_rows", "silver_rows"):
            if s.get(key) != p.get(key):
                out.append(f"{d}: {key} spark {s.get(key)} vs pandas {p.get(key)}")
        cents = [round(float(x.get("silver_realised_sum", "nan")) * 100) for x in (s, p)]
        if cents[0] != cents[1]:
            sums = s.get("silver_realised_sum"), p.get("silver_realised_sum")
            out.append(f"{d}: realised sum spark {sums[0]} vs pandas {sums[1]}")
    return out
