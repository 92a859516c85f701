"""Gives runs made by `airflow dags test` their true start. Airflow's dag.test() creates the run
with start_date = its logical date, so a run of 2022-04-30 made today shows a duration of years in
the UI ("Last Dag Run", run durations). dag.test() sets the run's `run_after` to the time of the
call, when the run was created: that becomes its start. Only test-triggered runs whose start equals
their logical date are touched; scheduled and UI-triggered runs already have a true start.

Run by stack/airflow.sh after each `airflow dags test`, on the local stack's SQLite metadata
database ($AIRFLOW_HOME/airflow.db; plain sqlite3, since importing Airflow costs ~20 s here).
"""

import os
import sqlite3
import sys
from pathlib import Path

FIX = (
    "update dag_run set start_date = run_after "
    "where triggered_by = ? and start_date = logical_date and run_after > start_date"
)


def main() -> int:
    db = Path(os.environ["AIRFLOW_HOME"]) / "airflow.db"
    if not db.exists():
        print(f"[airflow] no metadata database at {db}", file=sys.stderr)
        return 1
    with sqlite3.connect(db, timeout=30) as con:
        fixed = con.execute(FIX, ("TEST",)).rowcount
    print(f"[airflow] gave {fixed} dags-test run(s) their true start date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
