"""The command line of issue 20: changes list / verify / approve / return, and import's dry run
printing the notes the page's preview shows (a title row above the header, a hidden sheet)."""

import pytest

from lib.cli.commands import main
from lib.storage import approval, store
from tests.test_approval import PRODUSEN, REASON, write
from tests.test_upload import titled, with_sheets

pytestmark = pytest.mark.both_stores


@pytest.fixture
def cli_env(app_env, monkeypatch):
    monkeypatch.setenv("DASHBOARD_APPROVAL", "on")
    engine = store.make_engine(app_env)
    yield engine
    engine.dispose()


def out(capsys) -> str:
    captured = capsys.readouterr()
    return " ".join((captured.out + captured.err).split())


def test_list_verify_return_and_approve(cli_env, capsys):
    _, first = write(cli_env, PRODUSEN)
    assert main(["changes", "list", "--state", "submitted"]) == 0
    listed = out(capsys)
    assert f"#{first} diajukan Kabupaten Jepara" in listed
    assert main(["changes", "return", str(first), "--author", "ops"]) == 3
    assert "Tuliskan alasan untuk mengembalikan perubahan #1" in out(capsys)
    assert main(["changes", "return", str(first), "--reason", REASON, "--author", "ops"]) == 0
    assert "Perubahan #1 kini dikembalikan." in out(capsys)
    _, second = write(cli_env, PRODUSEN, delta=5)
    assert main(["changes", "verify", str(second), "--author", "ops", "--lang", "en"]) == 0
    assert "Change set #2 is now verified." in out(capsys)
    assert main(["changes", "approve", str(second), "--author", "ops"]) == 0
    assert main(["changes", "approve", str(second), "--author", "ops", "--lang", "en"]) == 3
    assert "Change set #2 is already approved (by ops)" in out(capsys)
    assert approval.get(cli_env, second).state == "approved"
    assert main(["changes", "list", "--lang", "en"]) == 0
    listed = out(capsys)
    assert "#2 approved" in listed and "#1 replaced by a resubmission" in listed
    assert REASON in listed


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["changes", "approve", "99", "--author", "ops"], 2, "Perubahan #99 tidak ada."),
        (["changes", "approve", "--author", "ops"], 2, "memerlukan ID perubahan"),
        (["changes", "list", "--state", "submitted"], 0, "Tidak ada perubahan yang cocok"),
    ],
)
def test_changes_usage(cli_env, capsys, args, code, said):
    assert main(args) == code
    assert said in out(capsys)


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (titled(merge_title=False), "header_row"),
        (with_sheets({"baca_saya": [["Petunjuk"]]}, hidden=("tahap",)), "hidden"),
    ],
)
def test_dry_run_prints_the_previews_notes(cli_env, tmp_path, capsys, data, note):
    path = tmp_path / "jepara.xlsx"
    path.write_bytes(data)
    assert main(["import", str(path), "--dry-run"]) == 0
    printed = out(capsys)
    assert "Perhatikan sebelum menerapkan:" in printed
    expected = {"header_row": "baris 3", "hidden": "tersembunyi"}[note]
    assert expected in printed


def test_an_export_says_it_holds_pending_changes(cli_env, tmp_path, capsys):
    path = tmp_path / "data.xlsx"
    assert main(["export", "--format", "xlsx", "--out", str(path)]) == 0
    assert "BELUM" not in out(capsys) and "belum disetujui" not in out(capsys)
    write(cli_env, PRODUSEN)
    assert main(["export", "--format", "xlsx", "--out", str(path)]) == 0
    assert "TERMASUK perubahan yang belum disetujui (#1)" in out(capsys)
