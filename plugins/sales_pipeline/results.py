"""Reading a step's result JSON (sales-pipeline.step-result.v1) for people: the failure mail.

Tolerant on purpose: a result may be missing (the step died before writing it), older or newer
than this code, and quality gates may or may not put `details.summary` (text or an object) and
`details.report` (an s3:// URI) in it. Whatever is absent is left out of the mail.
"""

from __future__ import annotations

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


def _pairs(value: Any) -> list[tuple[str, str]]:
    """A summary as (label, text) rows: objects by key, lists by position, text as one row."""
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(str(i + 1), v) for i, v in enumerate(value)]
    else:
        items = [("summary", value)]
    return [(label, _text(v)) for label, v in items if v is not None and v != ""]


def _text(value: Any) -> str:
    if isinstance(value, dict):
        text = ", ".join(f"{k}: {v}" for k, v in value.items())
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else f"{text[: MAX_VALUE - 1]}…"


def _command(task: Any) -> str:
    arguments = getattr(task, "arguments", None)
    return " ".join(str(a) for a in arguments) if arguments else getattr(task, "step", "?")


def describe_result(result: dict[str, Any] | None, task: Any, settings: Settings) -> dict[str, Any]:
    """What the failure mail shows about the step: name, status, error, counts, quality summary, report."""
    result = result if isinstance(result, dict) else {}
    details = result.get("details") if isinstance(result.get("details"), dict) else {}
    error = result.get("error") if isinstance(result.get("error"), dict) else {}
    counts = result.get("counts") if isinstance(result.get("counts"), dict) else {}
    report = details.get("report")
    report = report if isinstance(report, str) and report else None
    summary = details.get("summary")
    message = error.get("message")
    if message and error.get("exitCode") is not None:
        message = f"{message} (exit {error['exitCode']})"
    return {
        "name": result.get("step") or getattr(task, "step", None) or "?",
        "status": result.get("status"),
        "error": message,
        "counts": sorted((str(k), v) for k, v in counts.items()),
        "summary": _pairs(summary) if summary not in (None, "", {}, []) else [],
        "report_uri": report,
        "report_link": report_link(report, settings) if report else None,
        "command": _command(task),
    }
