"""Writes bronze NDJSON from a source CSV the way ingest-raw -> stream-produce -> stream-land would,
without Kafka: for the transform's tests and benchmark only (the pipeline itself always lands
bronze through Kafka).

Each line is the event of tasks/src/events/order-line.ts (source values as text, empty = null, qty
an integer, amount exact decimal text, order_date from MM-DD-YY) plus a `kafka` position: partition
= a stable hash of the Order ID over 3 partitions, offsets counted per partition, one file per
(dataset, date, partition) named like the lander's.

    python glue/tools/bronze_from_csv.py --source ../shared/data/amazon_sale_report_sample.csv \
        --lake /tmp/lake --dataset kaggle-sample [--rows 1000000 --first-day 2022-03-31 --days 91]

With --rows the sample is repeated (bench fixture): each copy gets new Order IDs (the copy number
folded into the last digits) and the rows are spread evenly over --days days from --first-day.
"""

import argparse
import csv
import json
import os
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

FIELDS = (
    "index order_id date status fulfilment sales_channel ship_service_level style sku category size asin "
    "courier_status qty currency amount ship_city ship_state ship_postal_code ship_country promotion_ids b2b "
    "fulfilled_by unnamed_22"
).split()
TOPIC = "sales.order_lines.v1"
PARTITIONS = 3


def to_event(fields: list[str], row: int, dataset: str, uri: str) -> dict:
    """One CSV record (24 fields) -> the bronze event without its Kafka position."""
    line: dict = {f: (v if v != "" else None) for f, v in zip(FIELDS, fields, strict=True)}
    if line["qty"] is not None:
        line["qty"] = int(line["qty"])
    mm, dd, yy = line["date"].split("-")
    return {
        "schema": TOPIC,
        "dataset": dataset,
        "source": {"uri": uri, "row": row},
        "order_date": f"20{yy}-{mm}-{dd}",
        "line": line,
    }


def read_csv(path: str) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        records = list(csv.reader(f))
    return records[0], records[1:]


def events_from_csv(path: str, dataset: str, uri: str | None = None) -> list[dict]:
    """Every data row of a source CSV as an event; `row` is the line number (the header is 1)."""
    return list(stream_events(path, dataset, uri))


def stream_events(path: str, dataset: str, uri: str | None = None) -> Iterator[dict]:
    """events_from_csv, one row at a time (a generated file can hold millions)."""
    uri = uri or f"file://{os.path.abspath(path)}"
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for i, fields in enumerate(reader):
            yield to_event(fields, i + 2, dataset, uri)


def repeated(
    rows: list[list[str]], total: int, first_day: date, days: int
) -> Iterator[tuple[int, list[str]]]:
    """`total` rows cycling through `rows`: copy c of a row gets Order ID `<first>-<middle>-<c-mixed
    last 7 digits>` and a date spread evenly over the days (rows of one order stay together)."""
    per_day = -(-total // days)
    for n in range(total):
        copy, src = divmod(n, len(rows))
        fields = list(rows[src])
        head, middle, last = fields[1].split("-")
        fields[1] = f"{head}-{middle}-{(int(last) + copy * 7919) % 10_000_000:07d}" if copy else fields[1]
        day = first_day + timedelta(days=min(n // per_day, days - 1))
        fields[2] = day.strftime("%m-%d-%y")
        yield n + 2, fields


def write_bronze(lake: str, events: Iterable[dict]) -> dict[str, int]:
    """Assigns Kafka positions and writes lake/bronze/order_lines/dataset=<id>/dt=<d>/ files,
    streaming (one open file per date and partition). Returns rows per date."""
    offsets = [0] * PARTITIONS
    handles: dict[tuple[str, str, int], object] = {}
    per_date: dict[str, int] = defaultdict(int)
    try:
        for e in events:
            p = zlib.crc32(str(e["line"]["order_id"]).encode()) % PARTITIONS
            key = (e["dataset"], e["order_date"], p)
            if key not in handles:
                folder = os.path.join(lake, "lake/bronze/order_lines", f"dataset={key[0]}", f"dt={key[1]}")
                os.makedirs(folder, exist_ok=True)
                name = f"part-{TOPIC}-{p}-{offsets[p]:020d}.ndjson"
                handles[key] = open(os.path.join(folder, name), "w", encoding="utf-8")  # noqa: SIM115
            kafka = {"topic": TOPIC, "partition": p, "offset": str(offsets[p])}
            handles[key].write(
                json.dumps({**e, "kafka": kafka}, separators=(",", ":"), ensure_ascii=False) + "\n"
            )
            offsets[p] += 1
            per_date[e["order_date"]] += 1
    finally:
        for h in handles.values():
            h.close()
    return dict(per_date)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--lake", required=True, help="lake root folder (bronze goes under lake/bronze/...)")
    parser.add_argument("--dataset", default="kaggle-sample")
    parser.add_argument("--rows", type=int, help="repeat the source up to this many rows (bench fixture)")
    parser.add_argument("--first-day", default="2022-03-31")
    parser.add_argument("--days", type=int, default=91)
    a = parser.parse_args()
    uri = f"file://{os.path.abspath(a.source)}"
    if a.rows:
        _, rows = read_csv(a.source)
        first = date.fromisoformat(a.first_day)
        events = (to_event(f, r, a.dataset, uri) for r, f in repeated(rows, a.rows, first, a.days))
    else:
        events = stream_events(a.source, a.dataset, uri)
    per_date = write_bronze(a.lake, events)
    print(json.dumps({"rows": sum(per_date.values()), "dates": len(per_date)}))


if __name__ == "__main__":
    main()
