"""Did every side of one ingest run carry the same records? The file's rows reach raw, every row is
produced (or dead-lettered), every produced event is landed in bronze, and Kafka's perf test sent
as many records. Pure, so tests/bench/ can feed it a run known to differ."""

from __future__ import annotations

import re


def perf_records(summary: str) -> int | None:
    """Records sent, from ProducerPerformance's last line ('128975 records sent, ...')."""
    m = re.match(r"\s*(\d+) records sent", summary or "")
    return int(m.group(1)) if m else None


def differences(run: dict) -> list[str]:
    rows = run["rows"]

    def count(step: str, key: str) -> int | None:
        return ((run.get(step) or {}).get("result") or {}).get("counts", {}).get(key)

    produced, dead = count("stream_produce", "events"), count("stream_produce", "dead_lettered")
    checks = [
        ("ingest-raw rows", count("ingest_raw", "rows"), rows),
        ("stream-produce events + dead letters", None if produced is None else produced + (dead or 0), rows),
        ("stream-land landed", count("stream_land", "landed"), produced),
        (
            "kafka-producer-perf-test records sent",
            perf_records((run.get("perf_test") or {}).get("summary")),
            rows,
        ),
    ]
    return [f"{name}: {got} (expected {want})" for name, got, want in checks if got is None or got != want]
