"""The failure mail: who, what, when, which try, the log, and a failed gate's summary and report."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from sales_pipeline.alerts import StepFailureNotifier, failure_notifier
from sales_pipeline.results import describe_result
from sales_pipeline.settings import load_settings

FIXTURES = Path(__file__).parent / "fixtures"
LOG_URL = "http://127.0.0.1:8080/dags/sales_pipeline/runs/r1/tasks/quality_silver?try_number=1"


def gate_result() -> dict:
    return json.loads((FIXTURES / "quality-gate-rejected.json").read_text())


class FakeTI:
    def __init__(self, task_id: str, pushed):
        self.dag_id, self.task_id, self.try_number, self.log_url = "sales_pipeline", task_id, 1, LOG_URL
        self._pushed = pushed

    def xcom_pull(self, task_ids, key):
        assert (task_ids, key) == (self.task_id, "return_value")
        if isinstance(self._pushed, Exception):
            raise self._pushed
        return self._pushed


@pytest.fixture
def sent(monkeypatch):
    """Renders for real, records instead of sending."""
    mails: list[dict] = []

    def record(self, context):
        mails.append({"subject": self.subject, "html": self.html_content, "to": self.to, "files": self.files})

    monkeypatch.setattr(StepFailureNotifier, "notify", record)
    return mails


def fail(notifier, task_id: str, pushed, arguments=("quality-gate", "--dt", "2022-04-30")):
    task = SimpleNamespace(step="quality-gate", arguments=list(arguments))
    context = {"ti": FakeTI(task_id, pushed), "ds": "2022-04-30", "run_id": "r1", "task": task, "dag": None}
    notifier(context)


def test_a_failed_gate_mails_its_summary_and_report_link(sent):
    settings = load_settings({"ALERT_EMAIL_TO": "a@example.com,b@example.com", "PIPELINE_RUNNER": "local"})
    fail(failure_notifier(settings), "quality_silver", gate_result())
    (mail,) = sent
    assert mail["to"] == ["a@example.com", "b@example.com"]
    assert mail["subject"] == (
        "[sales-pipeline] sales_pipeline.quality_silver failed for 2022-04-30 (try 1): quality gate failed"
    )
    html = mail["html"]
    for fact in ("sales_pipeline", "quality_silver", "2022-04-30", LOG_URL, "r1"):
        assert fact in html
    assert '<th align="left">try</th><td>1</td>' in html
    assert "quality gate silver_order_lines failed for 2022-04-30: 2 critical expectations" in html
    assert "(exit 1)" in html
    assert "suite silver_order_lines, stage silver, dataset kaggle-sample" in html
    assert "1481 validated, 4 failed at least one expectation" in html
    expected = "expect_column_values_to_be_in_set (status_bucket): 3 unexpected rows"
    assert f'<th align="left">#7 critical</th><td>{expected}</td>' in html
    assert "expect_column_mean_to_be_between (amount): observed 812.4" in html
    report = gate_result()["details"]["reportUri"]
    assert f">{report}</a>" in html
    assert f'href="file://{settings.local_s3_files}/sales-pipeline/reports/quality/' in html
    assert "sales-pipeline quality-gate --dt 2022-04-30" in html
    assert mail["files"] is None, "the report file does not exist here, so nothing is attached"


def test_the_mail_goes_out_without_a_result_or_when_xcom_cannot_be_read(sent):
    notifier = failure_notifier(load_settings({}))
    fail(notifier, "stream_land", None, arguments=("stream-land", "--dt", "2022-04-30"))
    fail(notifier, "stream_land", RuntimeError("no XCom backend"))
    assert len(sent) == 2
    for mail in sent:
        assert "quality gate failed" not in mail["subject"]
        assert "Quality summary" not in mail["html"]
        assert "stream_land" in mail["html"]


def test_one_notifier_renders_each_failure_afresh(sent):
    notifier = failure_notifier(load_settings({}))
    fail(notifier, "quality_silver", gate_result())
    fail(notifier, "warehouse_load", {"step": "warehouse-load", "status": "failed"})
    assert "warehouse_load failed" in sent[1]["subject"]
    assert "{{" in notifier.subject, "the shared instance keeps its templates"


def test_a_range_shows_the_failed_dates_and_their_reports():
    one = gate_result()["details"]["summary"]
    passed = {**one, "dt": "2022-04-29", "success": True, "failed": [], "reportUri": "s3://b/ok.html"}
    details = {"summary": [passed, one], "reportUri": [passed["reportUri"], one["reportUri"]]}
    facts = describe_result({"details": details}, None, load_settings({}))
    labels = [label for label, _ in facts["summary"]]
    assert "2022-04-30" in labels and "2022-04-29" not in labels
    assert [r["uri"] for r in facts["reports"]] == [passed["reportUri"], one["reportUri"]]


def test_an_existing_local_report_is_attached(sent, tmp_path):
    settings = load_settings({"PIPELINE_LOCAL_S3_FILES": str(tmp_path)})
    report = tmp_path / "sales-pipeline" / "reports" / "r.html"
    report.parent.mkdir(parents=True)
    report.write_text("<html>report</html>")
    result = {"details": {"reportUri": "s3://sales-pipeline/reports/r.html"}}
    fail(failure_notifier(settings), "quality_bronze", result)
    assert sent[0]["files"] == [str(report)]


def test_summaries_in_other_shapes_are_shown_and_escaped():
    settings = load_settings({"PIPELINE_RUNNER": "kubernetes"})
    text = describe_result({"details": {"summary": "2 <failed>"}}, None, settings)
    assert text["summary"] == [("summary", "2 <failed>")]
    listed = describe_result({"details": {"summary": ["a", "b"]}}, None, settings)
    assert listed["summary"] == [("1", "a"), ("2", "b")]
    on_aws = describe_result({"details": {"report": "s3://b/reports/x y.html"}}, None, settings)
    link = "https://s3.console.aws.amazon.com/s3/object/b?prefix=reports/x%20y.html"
    assert on_aws["reports"] == [{"uri": "s3://b/reports/x y.html", "link": link}]
    empty = describe_result({"details": "not an object", "counts": None}, None, settings)
    assert empty["summary"] == [] and empty["reports"] == [] and empty["counts"] == []


def test_markup_in_a_summary_cannot_inject_html(sent):
    result = {"details": {"summary": {"note": "<script>x</script>"}}}
    fail(failure_notifier(load_settings({})), "quality_bronze", result)
    assert "<script>" not in sent[0]["html"]
    assert "&lt;script&gt;" in sent[0]["html"]
