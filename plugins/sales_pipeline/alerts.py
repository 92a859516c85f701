"""Failure mail: one SMTP notifier per task, through the SMTP provider (the local catcher by default)."""

from __future__ import annotations

from airflow.providers.smtp.notifications.smtp import SmtpNotifier

from sales_pipeline.settings import Settings

SUBJECT = "[sales-pipeline] {{ ti.task_id }} failed for {{ ds }} (try {{ ti.try_number }})"

BODY = """
<h2>{{ ti.dag_id }}.{{ ti.task_id }} failed</h2>
<table>
  <tr><th align="left">logical date</th><td>{{ ds }}</td></tr>
  <tr><th align="left">run</th><td>{{ run_id }}</td></tr>
  <tr><th align="left">try</th><td>{{ ti.try_number }}</td></tr>
  <tr><th align="left">log</th><td><a href="{{ ti.log_url }}">{{ ti.log_url }}</a></td></tr>
</table>
<p>Re-run it with <code>make task-{{ ti.task_id | replace('_', '-') }} DT={{ ds }}</code>
or clear the task in the Airflow UI.</p>
"""


def failure_notifier(settings: Settings) -> SmtpNotifier:
    """The callback every task gets through default_args (on_failure_callback)."""
    return SmtpNotifier(
        from_email=settings.alert_from,
        to=list(settings.alert_to),
        subject=SUBJECT,
        html_content=BODY,
        smtp_conn_id=settings.smtp_conn_id,
    )
