"""Deployment settings the DAGs need at parse time, read from the environment only (no I/O)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    # "local": run the task program as a subprocess; "kubernetes": one pod per task.
    runner: str
    # Local runner: the built CLI of tasks/.
    cli: str
    # Kubernetes runner: images, namespace, identity, the Secret holding credentials.
    image_registry: str
    image_tag: str
    namespace: str
    service_account: str
    credentials_secret: str
    profile: str
    # Failure mail.
    alert_to: tuple[str, ...]
    alert_from: str
    smtp_conn_id: str


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    runner = env.get("PIPELINE_RUNNER", "local")
    if runner not in ("local", "kubernetes"):
        raise ValueError(f"PIPELINE_RUNNER must be 'local' or 'kubernetes', got {runner!r}")
    return Settings(
        runner=runner,
        cli=env.get("PIPELINE_CLI", str(REPO_ROOT / "tasks" / "dist" / "cli.js")),
        image_registry=env.get("PIPELINE_IMAGE_REGISTRY", "ghcr.io/sales-pipeline"),
        image_tag=env.get("PIPELINE_IMAGE_TAG", "0.1.0"),
        namespace=env.get("PIPELINE_NAMESPACE", "sales-pipeline"),
        service_account=env.get("PIPELINE_SERVICE_ACCOUNT", "sales-pipeline-tasks"),
        credentials_secret=env.get("PIPELINE_CREDENTIALS_SECRET", "sales-pipeline-credentials"),
        profile=env.get("PIPELINE_PROFILE", "local" if runner == "local" else "aws"),
        alert_to=tuple(
            a.strip() for a in env.get("ALERT_EMAIL_TO", "data-team@localhost").split(",") if a.strip()
        ),
        alert_from=env.get("ALERT_EMAIL_FROM", "sales-pipeline@localhost"),
        smtp_conn_id=env.get("ALERT_SMTP_CONN_ID", "smtp_default"),
    )
