import io

import openpyxl
import pytest

from lib.cli.commands import main
from lib.storage import store
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
SAME = [["33.19", 1, "selesai"], ["33.19", 2, "berjalan"], *KUDUS[2:]]


def test_dry_run_says_nothing_was_written_and_lists_rows_it_would_remove(cli_env, tmp_path, capsys):
    assert main(["import", str(stage_file(tmp_path, KUDUS[:3])), "--dry-run"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "tahap: 1 baris diubah, 1 baris dihapus" in out
    assert "Kabupaten Kudus (33.19) Bimtek 2 Status Berjalan Selesai" in out
    assert "Baris yang akan dihapus (tahap):" in out and "33.19 4 Rencana" in out
    assert "Uji coba (--dry-run): tidak ada yang ditulis. 1 baris akan dihapus." in out
    assert store.current_version(cli_env) == 1


def test_import_applies_and_history_is_an_aligned_table_in_wib(cli_env, tmp_path, capsys):
    assert main(["import", str(stage_file(tmp_path, KUDUS)), "--author", "ops"]) == 0
    assert "Diterapkan sebagai versi 2." in capsys.readouterr().out
    assert main(["history", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["Version", "When", "By"]
    assert "WIB" in lines[1] and "ops" in lines[1] and "stages: 1 row changed" in lines[1]
    assert len({line.index("WIB") for line in lines[1:]}) == 1  # columns line up


def test_stale_write_is_refused_with_a_message(cli_env, tmp_path, capsys, monkeypatch):
    """Two imports at once: another write lands between this one's check and its apply."""
    import lib.cli.commands

    original = lib.cli.commands.inspect_upload

    def check_then_someone_else_writes(engine, uploads):
        preview = original(engine, uploads)
        stages = store.read_all(engine, 1)["stages"]
        stages.loc[stages.region_code == "33.20", "venue"] = "Aula lain"
        store.write_version(
            engine, {"stages": stages}, author="x", action="upload", expected_version=1
        )
        return preview

    monkeypatch.setattr(lib.cli.commands, "inspect_upload", check_then_someone_else_writes)
    assert main(["import", str(stage_file(tmp_path, KUDUS)), "--lang", "en"]) == 3
    err = capsys.readouterr().err
    assert err.startswith(
        "Refused: the data changed meanwhile (checked on version 1, now version 2)."
    )
    assert store.current_version(cli_env) == 2


CASES = [  # (arguments, exit code, words the operator reads)
    (["rollback", "99"], 2, "Versi 99 tidak ada; versi yang ada: 1–1."),
    (["rollback", "99", "--lang", "en"], 2, "There is no version 99; versions are 1–1."),
    (
        ["export", "--format", "xlsx", "--out", "/no/such/dir/x.xlsx"],
        2,
        "Tidak dapat membaca atau menulis /no/such/dir/x.xlsx: No such file or directory.",
    ),
    (["import", "{tmp}/missing.xlsx"], 2, "Berkas tidak ada: {tmp}/missing.xlsx"),
    (["import", "{bad}"], 1, "1 masalah ditemukan. Tidak ada yang ditulis."),
    (["import", "{bad}", "--lang", "en"], 1, "Outside the range 1–4."),
    (["import", "{removal}"], 3, "Ditolak: 2 baris akan dihapus (lihat di atas)."),
    (["import", "{removal}", "--confirm-removals"], 0, "Diterapkan sebagai versi 2."),
    (["import", "{same}"], 0, "Tidak ada perubahan: data sudah sama."),
    (
        ["export", "--format", "csv", "--out", "{tmp}/data.zip"],
        0,
        "Ditulis: {tmp}/data.zip (arsip zip berisi satu CSV per tabel: wilayah (versi 1).csv, "
        "tahap (versi 1).csv, program (versi 1).csv)",
    ),
    (
        ["export", "--format", "csv", "--out", "{tmp}/data.zip", "--lang", "en"],
        0,
        "(a zip archive holding one CSV per table: regions (version 1).csv, "
        "stages (version 1).csv, programs (version 1).csv)",
    ),
    (
        ["users", "add", "x", "--role", "regional_editor", "--regions", "33.20,99.99"],
        2,
        "Ditolak: kode wilayah tidak dikenal: 99.99.",
    ),
    (
        ["users", "add", "editor.kudus", "--role", "regional_editor", "--regions", "33.19"],
        0,
        "Akun editor.kudus dibuat: peran Editor wilayah (produsen data), wilayah 33.19.",
    ),
    (
        ["users", "add", "ed", "--role", "regional_editor", "--regions", "33.19", "--lang", "en"],
        0,
        "Account ed created: role Regional editor (produsen data), regions 33.19.",
    ),
    (["users", "disable", "nobody"], 3, "Ditolak:"),
]


@pytest.mark.parametrize(("argv", "code", "words"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_every_outcome_has_its_exit_code_and_a_message(
    cli_env, tmp_path, capsys, monkeypatch, argv, code, words
):
    import io as _io

    monkeypatch.setattr("sys.stdin", _io.StringIO("Sandi-Awal-123\n"))
    files = {
        "tmp": str(tmp_path),
        "bad": str(stage_file(tmp_path, [["33.19", 9, "selesai"]], "bad.xlsx")),
        "removal": str(stage_file(tmp_path, KUDUS[:2], "removal.xlsx")),
        "same": str(stage_file(tmp_path, SAME, "same.xlsx")),
    }
    argv = [a.format(**files) for a in argv]
    assert main(argv) == code
    out = capsys.readouterr()
    shown = out.out + out.err
    assert words.format(**files) in shown
    assert "Traceback" not in shown


def test_usage_errors_exit_2():
    with pytest.raises(SystemExit) as error:
        main(["frobnicate"])
    assert error.value.code == 2


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

    from lib.storage import accounts

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
    assert "editor.kudus" in listing and "nonaktif" in listing
    # A header row names the columns (issue 29 item 12)
    header = ["Nama", "pengguna", "Peran", "Wilayah", "Status", "Surel"]
    assert header in [line.split() for line in listing.splitlines()]
    assert "Sandi" not in listing
    with pytest.raises(SystemExit) as error:
        main(["users", "add", "x", "--role", "nobody"])
    assert error.value.code == 2


@pytest.mark.parametrize(
    "resolve, code, budget",
    [
        ([], 3, 2_222_000_000),
        (["--resolve", "file"], 0, None),
        (["--resolve", "now"], 0, 2_222_000_000),
    ],
    ids=["refused", "file", "now"],
)
def test_an_old_template_is_merged_and_conflicts_need_a_resolution(
    cli_env, tmp_path, capsys, resolve, code, budget
):
    from lib.ingest.workbook import workbook_bytes
    from tests.test_upload_merge import JEPARA, first_budget, set_budget
    from tests.test_upload_rights import change_budget

    monday = tmp_path / "senin.xlsx"
    monday.write_bytes(change_budget(workbook_bytes(store.read_all(cli_env, 1), "id", 1), JEPARA))
    mine = first_budget(cli_env, JEPARA) + 1000
    set_budget(cli_env, JEPARA, 2_222_000_000)  # version 2, meanwhile
    assert main(["import", str(monday), *resolve]) == code
    captured = capsys.readouterr()
    out = " ".join((captured.out + captured.err).split())
    assert "Berkas senin.xlsx dibuat dari versi 1; data kini versi 2." in out
    assert (
        "1 konflik: berkas dan orang lain sejak itu mengubah hal yang sama secara berbeda." in out
    )
    assert "Berkas Dulu (versi 1) Kini (versi 2)" in out
    if code == 3:
        assert "Ditolak: 1 konflik belum dipilih. Tidak ada yang ditulis;" in out
    assert first_budget(cli_env, JEPARA) == (budget or mine)
