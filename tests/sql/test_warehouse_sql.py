"""The warehouse SQL, checked without a Redshift cluster: parsed with sqlglot's Redshift dialect.

A typo in the Redshift DDL or load statements fails here in CI, and the two dialects must declare
the same tables, columns and types.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "sql" / "migrations"
ENCODINGS = {
    "raw",
    "az64",
    "zstd",
    "bytedict",
    "runlength",
    "lzo",
    "delta",
    "delta32k",
    "mostly8",
    "mostly16",
    "mostly32",
    "text255",
    "text32k",
}


def parse_strict(sql: str, dialect: str) -> list[exp.Expression]:
    """Parses every statement; a statement sqlglot can only keep as an opaque Command is an error."""
    statements = [s for s in sqlglot.parse(sql, read=dialect, error_level=ErrorLevel.RAISE) if s is not None]
    for s in statements:
        if isinstance(s, exp.Command):
            raise ParseError(f"not understood as {dialect} SQL: {s.sql()[:120]}")
        for dtype in s.find_all(exp.DataType):
            if dtype.this == exp.DataType.Type.USERDEFINED:
                raise ParseError(f"unknown type {dtype.sql(dialect)}")
    return statements


def tables(sql: str, dialect: str) -> dict[str, list[tuple[str, str]]]:
    """table -> [(column, type)] of every CREATE TABLE."""
    out = {}
    for s in parse_strict(sql, dialect):
        if isinstance(s, exp.Create) and s.kind == "TABLE":
            cols = [c for c in s.this.expressions if isinstance(c, exp.ColumnDef)]
            out[s.this.this.name] = [(c.name, c.kind.sql("postgres").lower()) for c in cols]
    return out


def check_redshift_physical(sql: str) -> None:
    """Every table declares distribution and sort keys, every column a known encoding."""
    for s in parse_strict(sql, "redshift"):
        if not (isinstance(s, exp.Create) and s.kind == "TABLE"):
            continue
        name = s.this.this.name
        props = {
            type(p).__name__
            for p in (s.args.get("properties").expressions if s.args.get("properties") else [])
        }
        assert {"DistStyleProperty", "SortKeyProperty"} <= props, f"{name}: missing DISTSTYLE or SORTKEY"
        for c in s.this.expressions:
            if not isinstance(c, exp.ColumnDef):
                continue
            enc = [k.kind for k in c.constraints if isinstance(k.kind, exp.EncodeColumnConstraint)]
            assert enc, f"{name}.{c.name}: no ENCODE"
            assert enc[0].this.name.lower() in ENCODINGS, (
                f"{name}.{c.name}: unknown encoding {enc[0].this.name}"
            )


def migration_files(dialect: str) -> list[Path]:
    return sorted((MIGRATIONS / dialect).glob("V*.sql"))


@pytest.mark.parametrize("path", migration_files("redshift"), ids=lambda p: p.name)
def test_redshift_migrations_parse_with_keys_and_encodings(path: Path) -> None:
    sql = path.read_text()
    parse_strict(sql, "redshift")
    check_redshift_physical(sql)


def test_redshift_load_statements_parse() -> None:
    text = (ROOT / "sql" / "load" / "redshift_load_partition.sql").read_text()
    # LOCK is the one statement sqlglot keeps as an opaque command: checked by shape, then set aside.
    lock = re.compile(r"^lock \w+\.load_audit;$", re.MULTILINE)
    assert len(lock.findall(text)) == 1
    statements = parse_strict(lock.sub("", text), "redshift")
    assert any(isinstance(s, exp.Copy) for s in statements)
    assert sum(isinstance(s, exp.Insert) for s in statements) >= 7


def test_both_dialects_declare_the_same_tables_columns_and_types() -> None:
    for pg, rs in zip(migration_files("postgres"), migration_files("redshift"), strict=True):
        assert pg.name == rs.name
        assert tables(pg.read_text(), "postgres") == tables(rs.read_text(), "redshift")
    star = tables(migration_files("postgres")[0].read_text(), "postgres")
    assert {"fact_order_lines", "dim_date", "dim_product", "load_audit"} <= set(star)
    assert ("amount", "decimal(12, 2)") in star["fact_order_lines"]


@pytest.mark.parametrize("path", sorted((ROOT / "sql" / "analysis").glob("*.sql")), ids=lambda p: p.name)
def test_analysis_queries_parse_in_both_dialects(path: Path) -> None:
    for dialect in ("postgres", "redshift"):
        (query,) = parse_strict(path.read_text(), dialect)
        assert isinstance(query, exp.Query)  # a select, or a union of selects


@pytest.mark.parametrize(
    "typo",
    [
        ("create table dim_date", "create tabel dim_date"),
        ("not null encode", "not nul encode"),
        ("numeric(12,2) not null encode az64", "numerc(12,2) not null encode az64"),
        ("encode az64", "encode az46"),
        ("diststyle all", "diststile all"),
        ("compound sortkey (dataset, dt)", "compound sortkey (dataset, dt"),
    ],
    ids=lambda t: t[1],
)
def test_a_typo_in_the_redshift_ddl_fails(typo: tuple[str, str]) -> None:
    sql = migration_files("redshift")[0].read_text()
    assert typo[0] in sql
    with pytest.raises((ParseError, AssertionError)):
        broken = sql.replace(typo[0], typo[1], 1)
        parse_strict(broken, "redshift")
        check_redshift_physical(broken)
