"""Deployment settings the DAGs need at parse time, read from the environment only (no I/O).

Airflow Variables would need the metadata database (or the API) while a DAG file is parsed, so
everything here, including the schedule's end date, comes from environment variables.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# The last sales day of the source data (../shared/DATA.md); PIPELINE_END_DATE moves it.
DEFAULT_END_DATE = "2022-06-29"
SAMPLE_FILE = "amazon_sale_report_sample.csv"
SYNTHETIC_ID = re.compile(r"^synthetic-seed(\d+)-(\d+)$")


@dataclass(frozen=True)
class Settings:
    # "local": run the task program as a subprocess; "kubernetes": one pod per task.
    runner: str
    # Local runner: the built CLI of tasks/.
    cli: str
    # Kubernetes runner: images, namespace, identity, the Secret holding credentials and the
    # ConfigMap holding non-secret endpoints.
    image_registry: str
    image_tag: str
    namespace: str
    service_account: str
    credentials_secret: str
    config_map: str
    profile: str
    # Schedule: the daily DAG stops after this date.
    end_date: datetime
    # Where source files live (ingest-raw --source): the real sample and generated files.
    sample_source: str
    data_dir: str
    # Local runner: the S3 store keeps objects as files here (links to reports in mails).
    local_s3_files: str
    # Failure mail.
    alert_to: tuple[str, ...]
    alert_from: str
    smtp_conn_id: str

    def source_file(self, dataset: str) -> str:
        """The source CSV of a dataset id, by the naming rule of tasks/src/source/dataset.ts."""
        if dataset == "kaggle-sample":
            return self.sample_source
        synthetic = SYNTHETIC_ID.match(dataset)
        if synthetic:
            seed, rows = synthetic.groups()
            return f"{self.data_dir}/amazon_sale_report_synthetic_seed{seed}_{rows}.csv"
        return f"{self.data_dir}/{dataset}.csv"


def _date(name: str, value: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise ValueError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Settings from the environment (os.environ by default); raises ValueError naming a bad variable."""
    env = dict(os.environ if env is None else env)
    runner = env.get("PIPELINE_RUNNER", "local")
    if runner not in ("local", "kubernetes"):
        raise ValueError(f"PIPELINE_RUNNER must be 'local' or 'kubernetes', got {runner!r}")
    image_tag = env.get("PIPELINE_IMAGE_TAG", "0.1.0")
    if image_tag in ("", "latest"):
        raise ValueError("PIPELINE_IMAGE_TAG must pin a release (a version or a digest), not 'latest'")
    local = runner == "local"
    # The stack's folder (stack/lib.sh): repo/.local unless STACK_HOME names another (make demo-smoke).
    stack_home = Path(env.get("STACK_HOME") or REPO_ROOT / ".local")
    return Settings(
        runner=runner,
        cli=env.get("PIPELINE_CLI", str(REPO_ROOT / "tasks" / "dist" / "cli.js")),
        image_registry=env.get("PIPELINE_IMAGE_REGISTRY", "ghcr.io/sales-pipeline"),
        image_tag=image_tag,
        namespace=env.get("PIPELINE_NAMESPACE", "sales-pipeline"),
        service_account=env.get("PIPELINE_SERVICE_ACCOUNT", "sales-pipeline-tasks"),
        credentials_secret=env.get("PIPELINE_CREDENTIALS_SECRET", "sales-pipeline-credentials"),
        config_map=env.get("PIPELINE_CONFIG_MAP", "sales-pipeline-config"),
        profile=env.get("PIPELINE_PROFILE", "local" if local else "aws"),
        end_date=_date("PIPELINE_END_DATE", env.get("PIPELINE_END_DATE", DEFAULT_END_DATE)),
        sample_source=env.get(
            "PIPELINE_SAMPLE_SOURCE",
            str(REPO_ROOT.parent / "shared" / "data" / SAMPLE_FILE) if local else f"/data/{SAMPLE_FILE}",
        ),
        data_dir=env.get("PIPELINE_DATA_DIR", str(stack_home / "data") if local else "/data"),
        local_s3_files=env.get("PIPELINE_LOCAL_S3_FILES", str(stack_home / "s3" / "data")),
        alert_to=tuple(
            a.strip() for a in env.get("ALERT_EMAIL_TO", "data-team@localhost").split(",") if a.strip()
        ),
        alert_from=env.get("ALERT_EMAIL_FROM", "sales-pipeline@localhost"),
        smtp_conn_id=env.get("ALERT_SMTP_CONN_ID", "smtp_default"),
    )
