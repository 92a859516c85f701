"""The analysis SQL (sql/analysis/, sql/marts/), checked without a warehouse.

The same text runs on PostgreSQL and Redshift, so every statement must parse strictly in both of
sqlglot's dialects; each mart query must select exactly the columns of its mart, in the order of
the DDL (the analysis step inserts by position), and read order lines only through the view that
defines revenue.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp
from test_warehouse_sql import parse_strict, tables

ROOT = Path(__file__).resolve().parents[2]
ANALYSIS = ROOT / "sql" / "analysis"
DDL = (ROOT / "sql" / "marts" / "create_marts.sql").read_text()
MART_LINE = re.compile(r"^-- mart: ([a-z_0-9]+)\s*$", re.M)
QUERIES = sorted(p for p in ANALYSIS.glob("*.sql") if MART_LINE.search(p.read_text()))
DIALECTS = ("postgres", "redshift")


def bound(sql: str) -> str:
    """$1..$3 as literals: sqlglot's Redshift dialect does not read positional parameters."""
    return sql.replace("$1", "'kaggle-sample'").replace("$2", "'2022-04-27'").replace("$3", "'2022-04-30'")


def test_there_is_a_query_per_mart_and_a_mart_per_query():
    marts = {MART_LINE.search(p.read_text()).group(1) for p in QUERIES}
    assert len(marts) == len(QUERIES), "two files fill one mart"
    assert marts == set(tables(DDL, "postgres")) - {"mart_build"}


def test_query_files_are_named_verb_object():
    for p in QUERIES:
        assert re.fullmatch(r"[a-z]+_[a-z_]+\.sql", p.name), p.name


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_marts_ddl_parses_in_both_dialects(dialect):
    assert len(tables(DDL, dialect)) == 19


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_every_query_parses_and_selects_its_marts_columns_in_order(path, dialect):
    sql = path.read_text()
    (statement,) = parse_strict(bound(sql), dialect)
    mart = MART_LINE.search(sql).group(1)
    columns = [c for c, _ in tables(DDL, "postgres")[mart]]
    assert statement.named_selects == columns, f"{path.name} -> {mart}"


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_queries_read_lines_through_the_revenue_view_never_the_fact(path):
    (statement,) = sqlglot.parse(bound(path.read_text()), read="postgres")
    names = {t.name for t in statement.find_all(exp.Table)}
    assert "fact_order_lines" not in names, path.name
    assert "order_lines" in names, path.name
    # Revenue is never recomputed as qty x amount.
    assert not re.search(r"qty\s*\*\s*\w*amount|amount\s*\*\s*\w*qty", path.read_text()), path.name
