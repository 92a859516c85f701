"""stack/airflow_run_starts.py: runs made by `airflow dags test` start at their logical date (years
ago); after the fix they start when they were made. Other runs are left alone. The table has the
columns of Airflow 3's dag_run that the fix reads and writes."""

import importlib.util
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("airflow_run_starts", ROOT / "stack" / "airflow_run_starts.py")
run_starts = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_starts)

RUNS = [
    # run_id, logical_date, start_date, run_after, triggered_by
    (
        "test_run",
        "2022-04-30 00:00:00.000000",
        "2022-04-30 00:00:00.000000",
        "2026-12-03 10:00:14.797275",
        "TEST",
    ),
    (
        "scheduled",
        "2022-04-30 00:00:00.000000",
        "2026-12-03 09:00:01.000000",
        "2022-05-01 00:00:00.000000",
        "TIMETABLE",
    ),
    (
        "ui_run",
        "2026-12-03 08:00:00.000000",
        "2026-12-03 08:00:00.000000",
        "2026-12-03 08:00:00.000000",
        "UI",
    ),
]


def database(tmp_path: Path) -> Path:
    db = tmp_path / "airflow.db"
    with sqlite3.connect(db) as con:
        con.execute(
            "create table dag_run "
            "(run_id text, logical_date text, start_date text, run_after text, triggered_by text)"
        )
        con.executemany("insert into dag_run values (?, ?, ?, ?, ?)", RUNS)
    return db


def starts(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as con:
        return dict(con.execute("select run_id, start_date from dag_run"))


def test_a_dags_test_run_starts_when_it_was_made_and_others_stay(tmp_path, monkeypatch, capsys):
    db = database(tmp_path)
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path))
    assert run_starts.main() == 0
    assert starts(db) == {
        "test_run": "2026-12-03 10:00:14.797275",
        "scheduled": "2026-12-03 09:00:01.000000",
        "ui_run": "2026-12-03 08:00:00.000000",
    }
    assert "gave 1 dags-test run(s)" in capsys.readouterr().out
    assert run_starts.main() == 0  # idempotent: nothing left to correct
    assert "gave 0 dags-test run(s)" in capsys.readouterr().out


def test_no_metadata_database_is_an_error_naming_the_path(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "nowhere"))
    assert run_starts.main() == 1
    assert str(tmp_path / "nowhere" / "airflow.db") in capsys.readouterr().err
