import io

import openpyxl
import pytest

from lib import store
from lib.cli import main
from tests.conftest import stage_workbook

pytestmark = pytest.mark.both_stores  # SQLite and PostgreSQL


@pytest.fixture
def cli_env(app_env):
    return store.make_engine(app_env)


def stage_file(tmp_path, rows, name="kudus.xlsx"):
    path = tmp_path / name
    path.write_bytes(stage_workbook(rows))
    return path


KUDUS = [
    ["33.19", 1, "selesai"],
    ["33.19", 2, "selesai"],
    ["33.19", 3, "rencana"],
    ["33.19", 4, "rencana"],
]


def test_dry_run_prints_changes_and_writes_nothing(cli_env, tmp_path, capsys):
    assert main(["import", str(stage_file(tmp_path, KUDUS)), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "stages: +0 ~1 -0" in out
    assert "33.19 / 2 status in_progress done" in " ".join(out.split())
    assert store.current_version(cli_env) == 1


def test_import_applies_and_history_lists_it(cli_env, tmp_path, capsys):
    assert main(["import", str(stage_file(tmp_path, KUDUS)), "--author", "ops"]) == 0
    assert "applied as version 2" in capsys.readouterr().out
    assert main(["history"]) == 0
    assert "ops" in capsys.readouterr().out


def test_invalid_file_exits_1_with_report(cli_env, tmp_path, capsys):
    assert main(["import", str(stage_file(tmp_path, [["33.19", 9, "selesai"]]))]) == 1
    assert "Outside the range 1–4." in capsys.readouterr().out
    assert store.current_version(cli_env) == 1


def test_usage_errors_exit_2(cli_env, tmp_path):
    with pytest.raises(SystemExit) as error:
        main(["frobnicate"])
    assert error.value.code == 2
    assert main(["import", str(tmp_path / "missing.xlsx")]) == 2
    removal = stage_file(tmp_path, KUDUS[:2])
    assert main(["import", str(removal)]) == 2  # removals not confirmed
    assert main(["import", str(removal), "--confirm-removals"]) == 0


def test_export_and_rollback(cli_env, tmp_path):
    main(["import", str(stage_file(tmp_path, KUDUS))])
    out = tmp_path / "export.xlsx"
    assert main(["export", "--format", "xlsx", "--out", str(out)]) == 0
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["baca_saya", "wilayah", "tahap", "program", "daftar"]
    assert main(["rollback", "1"]) == 0
    assert store.current_version(cli_env) == 3
    assert store.read_all(cli_env, 3)["stages"].equals(store.read_all(cli_env, 1)["stages"])


def test_users_add_list_set_role_reset_disable(cli_env, monkeypatch, capsys):
    import io as _io

    from lib import accounts

    monkeypatch.setattr("sys.stdin", _io.StringIO("Sandi-Awal-123\n"))
    assert (
        main(["users", "add", "editor.kudus", "--role", "regional_editor", "--regions", "33.19"])
        == 0
    )
    assert accounts.authenticate(cli_env, "editor.kudus", "Sandi-Awal-123").regions == {"33.19"}
    assert (
        main(
            [
                "users",
                "set-role",
                "editor.kudus",
                "--role",
                "regional_editor",
                "--regions",
                "33.19,33.20",
            ]
        )
        == 0
    )
    monkeypatch.setattr("sys.stdin", _io.StringIO("Sandi-Baru-456\n"))
    assert main(["users", "reset-password", "editor.kudus"]) == 0
    assert accounts.authenticate(cli_env, "editor.kudus", "Sandi-Baru-456").regions == {
        "33.19",
        "33.20",
    }
    assert main(["users", "disable", "editor.kudus"]) == 0
    assert main(["users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "editor.kudus" in listing and "disabled" in listing
    assert "Sandi" not in listing
    with pytest.raises(SystemExit) as error:
        main(["users", "add", "x", "--role", "nobody"])
    assert error.value.code == 2
