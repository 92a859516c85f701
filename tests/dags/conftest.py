"""DAG tests run without services: a throwaway AIRFLOW_HOME, the repo's dags/ and plugins/."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DAGS_FOLDER = Path(os.environ.get("SALES_PIPELINE_DAGS", ROOT / "dags"))

# Must happen before the first `import airflow`.
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="airflow-test-")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS_FOLDER)
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(ROOT / "plugins")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ.setdefault("PIPELINE_RUNNER", "local")
sys.path.insert(0, str(ROOT / "plugins"))
