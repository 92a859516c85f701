"""Failure mail through the SMTP provider's notifier (the local catcher by default).

Every task gets it as `on_failure_callback` (defaults.py). Besides the DAG, task, date, try and log
link, the mail quotes the failed step's result JSON, which both runners push to XCom on failure:
its error, its counts and, for quality gates, `details.summary` and the `details.reportUri` link;
with the local S3 store the HTML report itself is attached. It is the one alert of a failed task:
the DAGs run `quality-gate --no-mail`, so a gate failure does not mail twice.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from airflow.providers.smtp.notifications.smtp import SmtpNotifier

from sales_pipeline.results import describe_result
from sales_pipeline.settings import Settings

SUBJECT = (
    "[sales-pipeline] {{ ti.dag_id }}.{{ ti.task_id }} failed for {{ ds or run_id }}"
    " (try {{ ti.try_number }}){% if step.summary %}: quality gate failed{% endif %}"
)

BODY = """
<h2>{{ ti.dag_id }}.{{ ti.task_id }} failed</h2>
<table>
  <tr><th align="left">DAG</th><td>{{ ti.dag_id }}</td></tr>
  <tr><th align="left">task</th><td>{{ ti.task_id }} (step {{ step.name | e }})</td></tr>
  <tr><th align="left">logical date</th><td>{{ ds or "none (range run)" }}</td></tr>
  <tr><th align="left">run</th><td>{{ run_id }}</td></tr>
  <tr><th align="left">try</th><td>{{ ti.try_number }}</td></tr>
  <tr><th align="left">log</th><td><a href="{{ ti.log_url }}">{{ ti.log_url }}</a></td></tr>
  {% if step.status %}<tr><th align="left">status</th><td>{{ step.status | e }}</td></tr>{% endif %}
  {% if step.error %}<tr><th align="left">error</th><td>{{ step.error | e }}</td></tr>{% endif %}
</table>
{% if step.summary %}
<h3>Quality summary</h3>
<table>{% for key, value in step.summary %}
  <tr><th align="left">{{ key | e }}</th><td>{{ value | e }}</td></tr>{% endfor %}
</table>
{% endif %}
{% for report in step.reports %}
<p>Report: <a href="{{ report.link | e }}">{{ report.uri | e }}</a></p>
{% endfor %}
{% if step.counts %}
<p>Counts: {% for key, value in step.counts -%}
{{ key | e }} {{ value }}{% if not loop.last %}, {% endif %}{% endfor %}</p>
{% endif %}
<p>Fix the cause, then clear the task in the Airflow UI. To run the step alone:
<code>sales-pipeline {{ step.command | e }}</code>{% if step.name != "?" %}
(<code>make task-{{ step.name | e }}</code> locally){% endif %}.</p>
"""


class StepFailureNotifier(SmtpNotifier):
    """SmtpNotifier that adds the failed step's result to the template context as `step`."""

    def __init__(self, *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings

    def __call__(self, *args: Any) -> None:
        if len(args) != 1:  # the DAG-level form (dag, task_list, ...): nothing to add
            return super().__call__(*args)
        context = args[0]
        context["step"] = describe_result(_step_result(context), context.get("task"), self.settings)
        # Rendering replaces the templates in place; a copy keeps this instance (shared by every
        # task through default_args) reusable when tasks fail in one process, as in `dags test`.
        notifier = copy.copy(self)
        notifier.__dict__.pop("hook", None)  # a fresh SMTP hook per mail
        notifier.files = _local_reports(context["step"]["reports"])
        return SmtpNotifier.__call__(notifier, context)


def _step_result(context: Any) -> dict[str, Any] | None:
    """The failed try's result JSON from XCom; a missing or unreadable one never stops the mail."""
    ti = context.get("ti")
    try:
        value = ti.xcom_pull(task_ids=ti.task_id, key="return_value") if ti is not None else None
    except Exception:  # noqa: BLE001 - the mail matters more than the detail
        return None
    return value if isinstance(value, dict) else None


def _local_reports(reports: list[dict[str, str]]) -> list[str] | None:
    """Report files readable here (the local S3 store keeps objects as files), to attach."""
    paths = [r["link"].removeprefix("file://") for r in reports if r["link"].startswith("file://")]
    return [p for p in paths if Path(p).is_file()][:3] or None


def failure_notifier(settings: Settings) -> StepFailureNotifier:
    """The callback every task gets through default_args (on_failure_callback)."""
    return StepFailureNotifier(
        settings=settings,
        from_email=settings.alert_from,
        to=list(settings.alert_to),
        subject=SUBJECT,
        html_content=BODY,
        smtp_conn_id=settings.smtp_conn_id,
    )
