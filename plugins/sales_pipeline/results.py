"""Reading a step's result JSON (sales-pipeline.step-result.v1) for people: the failure mail.

Tolerant on purpose: a result may be missing (the step died before writing it), older or newer
than this code. A quality gate puts `details.summary` (one summary object, or a list for a range,
see tasks/src/quality/notify.ts) and `details.reportUri` (an s3:// URI, or a list) in it; other
shapes (text, `details.report`) are shown as they come. Whatever is absent is left out.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from sales_pipeline.settings import Settings

MAX_VALUE = 300  # characters of one summary value in the mail


def report_link(uri: str, settings: Settings) -> str:
    """A link a reader can open: the file under the local S3 store, or the object in the S3 console."""
    if not uri.startswith("s3://"):
        return uri
    bucket, _, key = uri[len("s3://") :].partition("/")
    if settings.profile == "local":
        return f"file://{settings.local_s3_files}/{bucket}/{key}"
    return f"https://s3.console.aws.amazon.com/s3/object/{bucket}?prefix={quote(key)}"


def _text(value: Any) -> str:
    if isinstance(value, dict):
        text = ", ".join(f"{k}: {v}" for k, v in value.items())
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else f"{text[: MAX_VALUE - 1]}…"


def _gate_rows(s: dict[str, Any]) -> list[tuple[str, str]]:
    """One gate summary: what was validated, then each failed expectation."""
    rows = [
        (f"{s.get('dt')}", f"suite {s.get('suite')}, stage {s.get('stage')}, dataset {s.get('dataset')}"),
        ("rows", f"{s.get('rows')} validated, {s.get('failingRows')} failed at least one expectation"),
    ]
    for f in s["failed"]:
        f = f if isinstance(f, dict) else {"type": f}
        what = f"{f.get('type')}" + (f" ({f['columns']})" if f.get("columns") else "")
        if f.get("unexpected") is not None:
            outcome = f"{f['unexpected']} unexpected rows"
        else:
            observed = f.get("observed")
            outcome = f"observed {observed if isinstance(observed, str) else json.dumps(observed)}"
        rows.append((f"#{f.get('index', '?')} {f.get('severity') or ''}".strip(), f"{what}: {outcome}"))
    return rows


def _summary_rows(summary: Any) -> list[tuple[str, str]]:
    """A summary as (label, text) rows: gate summaries by expectation, anything else by key."""
    items = summary if isinstance(summary, list) else [summary]
    if items and all(isinstance(s, dict) and isinstance(s.get("failed"), list) for s in items):
        failing = [s for s in items if s.get("success") is not True] or items
        return [row for s in failing for row in _gate_rows(s)]
    if isinstance(summary, dict):
        pairs = list(summary.items())
    elif isinstance(summary, list):
        pairs = [(str(i + 1), v) for i, v in enumerate(summary)]
    else:
        pairs = [("summary", summary)]
    return [(str(k), _text(v)) for k, v in pairs if v is not None and v != ""]


def _reports(details: dict[str, Any], summary: Any) -> list[str]:
    found: list[str] = []
    for value in (details.get("reportUri"), details.get("report")):
        found += value if isinstance(value, list) else [value]
    if not found and isinstance(summary, list):  # a range: the failed dates' reports
        found = [s.get("reportUri") for s in summary if isinstance(s, dict) and s.get("success") is False]
    return list(dict.fromkeys(u for u in found if isinstance(u, str) and u))


def _command(task: Any) -> str:
    arguments = getattr(task, "arguments", None)
    return " ".join(str(a) for a in arguments) if arguments else getattr(task, "step", "?")


def describe_result(result: dict[str, Any] | None, task: Any, settings: Settings) -> dict[str, Any]:
    """What the failure mail shows about the step: name, status, error, counts, quality summary, reports."""
    result = result if isinstance(result, dict) else {}
    details = result.get("details") if isinstance(result.get("details"), dict) else {}
    error = result.get("error") if isinstance(result.get("error"), dict) else {}
    counts = result.get("counts") if isinstance(result.get("counts"), dict) else {}
    summary = details.get("summary")
    message = error.get("message")
    if message and error.get("exitCode") is not None:
        message = f"{message} (exit {error['exitCode']})"
    return {
        "name": result.get("step") or getattr(task, "step", None) or "?",
        "status": result.get("status"),
        "error": message,
        "counts": sorted((str(k), v) for k, v in counts.items()),
        "summary": _summary_rows(summary) if summary not in (None, "", {}, []) else [],
        "reports": [{"uri": u, "link": report_link(u, settings)} for u in _reports(details, summary)],
        "command": _command(task),
    }
