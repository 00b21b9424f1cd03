"""Briefings read back as a user gets them: the PDF's text through poppler's pdftotext, its pages,
fonts and word positions; the share PNG's size; the same figures the pages compute."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess

import pandas as pd
import pytest

from lib.briefing.content import file_name, pack_summary, region_brief
from lib.briefing.export import SHARE_WIDTH_PX, pack_file, region_file
from lib.briefing.pdf import A4, pack_pdf
from lib.core import metrics
from lib.core.i18n import enum_label, fmt_date, fmt_date_range, fmt_int, fmt_pct, t
from lib.ingest.dataset import ensure_seeded, open_dataset
from lib.storage import store
from tests.conftest import PROJECT

REFERENCE = dt.date(2021, 11, 15)
CODES = ["33.23", "33.22", "34.04", "33.06", "33.74", "33.19", "33.20", "33.12", "33.13"]
MM = 72 / 25.4


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """The shipped data as the store serves it; read once, every test only reads it."""
    engine = store.make_engine(f"sqlite:///{tmp_path_factory.mktemp('brief') / 'store.db'}")
    assert ensure_seeded(engine, PROJECT / "data") == []
    yield open_dataset(engine, store.current_version(engine))
    engine.dispose()


def pdf_text(data: bytes, tmp_path, layout: bool = False) -> str:
    """The text a reader copies out of the PDF, whitespace folded (table cells wrap).

    layout=True keeps each printed line together (a table row whose cells do not wrap).
    """
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    flags = ["-layout"] if layout else []
    out = subprocess.run(
        ["pdftotext", *flags, "-enc", "UTF-8", str(path), "-"], capture_output=True
    )
    return " ".join(out.stdout.decode("utf-8").split())


def pdf_info(data: bytes, tmp_path, tool: str = "pdfinfo") -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    return subprocess.run([tool, str(path)], capture_output=True, text=True).stdout


def page_count(data: bytes, tmp_path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", pdf_info(data, tmp_path)).group(1))


def page_expectations(dataset, code: str, lang: str) -> tuple[list[str], list[str]]:
    """What the region page shows for this region at this version, computed as the page does:
    (texts, table rows to read line by line)."""
    row = metrics.region_progress(dataset.regions, dataset.stages, REFERENCE)
    row = row[row["region_code"] == code].iloc[0]
    stages = metrics.stages_with_late(dataset.stages, REFERENCE)
    stages = stages[stages["region_code"] == code]
    programs = dataset.programs[dataset.programs["region_code"] == code]
    quick = metrics.filter_programs(programs, quick_win_only=True)
    current = t("complete", lang) if row.complete else enum_label("stage", row.current_stage, lang)
    texts = [
        row["name"],
        f"{t('progress_label', lang)} {t('current_stage', lang)}",
        f"{row.stages_done}/4",
        fmt_pct(row.progress, lang),
        current,
        f"{t('stages_late', lang)} {t('programs', lang)} {t('quick_wins', lang)}",
        f"{current} {row.stages_late} {len(programs)} {len(quick)}",
        t("late_at", lang, date=fmt_date(REFERENCE, lang)),
    ]
    for stage in stages.itertuples():
        texts.append(fmt_date_range(stage.planned_start, stage.planned_end, lang))
        if pd.notna(stage.actual_start) or pd.notna(stage.actual_end):
            texts.append(fmt_date_range(stage.actual_start, stage.actual_end, lang))
        if stage.late:
            texts.append(f"{enum_label('status', stage.status, lang)} ({t('late_flag', lang)})")
    rows = []
    matrix = metrics.dimension_by_horizon(programs)
    for dimension in matrix.index:
        counts = [fmt_int(v, lang) for v in matrix.loc[dimension]]
        label = enum_label("dimension", dimension, lang)
        rows.append(f"{label} {' '.join(counts)} {fmt_int(matrix.loc[dimension].sum(), lang)}")
    texts += list(quick["name"])
    texts.append(f"versi {dataset.version}" if lang == "id" else f"version {dataset.version}")
    return texts, rows


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("code", CODES)
def test_region_briefing_holds_the_figures_of_the_region_page(dataset, tmp_path, code, lang):
    name, data = region_file(dataset, code, REFERENCE, lang)
    assert name == f"briefing_{code}_{lang}_v{dataset.version}_2021-11-15.pdf"
    assert page_count(data, tmp_path) == 1
    texts, rows = page_expectations(dataset, code, lang)
    text, lines = pdf_text(data, tmp_path), pdf_text(data, tmp_path, layout=True)
    missing = [e for e in texts if e not in text] + [r for r in rows if r not in lines]
    assert missing == []


@pytest.mark.parametrize(
    "lang, words",
    [
        ("id", ["Kemajuan 4/4", "Rampung", "1 September 2021", "11–12 November 2021", "Selesai"]),
        ("en", ["Progress 4/4", "Complete", "1 September 2021", "11–12 November 2021", "Done"]),
    ],
)
def test_jepara_briefing_reads_as_the_public_facts(dataset, tmp_path, lang, words):
    text = pdf_text(region_file(dataset, "33.20", REFERENCE, lang)[1], tmp_path)
    assert all(w in " ".join(text.split()) or w.split()[-1] in text for w in words)
    assert "Gedung Shima, Setda Jepara" in text
    assert "https://www.suryamedia.id/2021/11/13/program-smart-city-di-jepara" in text


def test_late_stage_needs_attention_in_the_users_language(dataset, tmp_path):
    indonesian = pdf_text(region_file(dataset, "33.19", REFERENCE, "id")[1], tmp_path)
    english = pdf_text(region_file(dataset, "33.19", REFERENCE, "en")[1], tmp_path)
    assert "Perlu perhatian" in indonesian and "Needs attention" in english
    assert re.search(r"Bimtek \d terlambat: rencana selesai \d+ \w+ 2021", indonesian)
    assert re.search(r"Bimtek \d is late: planned to end \d+ \w+ 2021", english)


@pytest.mark.parametrize(
    "lang, mark", [("id", "DATA CONTOH"), ("en", "SAMPLE DATA")], ids=["id", "en"]
)
def test_sample_rows_are_marked_and_all_official_data_is_not(dataset, tmp_path, lang, mark):
    sampled = pdf_text(region_file(dataset, "33.20", REFERENCE, lang)[1], tmp_path)
    assert sampled.count(mark) == 2  # the badge by the title and the note at the foot
    official = dataclasses.replace(
        dataset,
        stages=dataset.stages.assign(source="https://jdih.example.go.id/perbup"),
        programs=dataset.programs.assign(source="Bappeda, dokumen RPJMD 2021"),
    )
    text = pdf_text(region_file(official, "33.20", REFERENCE, lang)[1], tmp_path)
    assert mark not in text
    assert "Bappeda, dokumen RPJMD 2021" in text
    pack = pdf_text(pack_file(official, REFERENCE, lang, "all")[1], tmp_path)
    assert mark not in pack


def renamed(dataset, code: str, name: str):
    regions = dataset.regions.copy()
    regions.loc[regions["region_code"] == code, "name"] = name
    return dataclasses.replace(dataset, regions=regions)


MARKUP = "<b>Kota **Tebal**</b> ${alert(1)} [klik](http://contoh.id) &amp; <script>x</script>"
LONG = "Kabupaten " + " ".join(["Kepulauan Seribu Utara Tengah Selatan Barat Daya"] * 5) + " Ujung"


def word_boxes(data: bytes, tmp_path) -> tuple[float, float, list[tuple[str, float, float]]]:
    """(page width, page height, [(word, xMax, yMax)]) from pdftotext -bbox."""
    path = tmp_path / "boxes.pdf"
    path.write_bytes(data)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True
    ).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    words = [
        (w, float(x), float(y))
        for x, y, w in re.findall(
            r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            html,
        )
    ]
    return float(page.group(1)), float(page.group(2)), words


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", [MARKUP, LONG, "X" * 150], ids=["markup", "long", "one-word"])
def test_odd_names_print_whole_as_text_on_one_page(dataset, tmp_path, name, lang):
    odd = renamed(dataset, "33.23", name)
    data = region_file(odd, "33.23", REFERENCE, lang)[1]
    assert page_count(data, tmp_path) == 1
    text = pdf_text(data, tmp_path)
    assert "".join(name.split()) in "".join(text.split())  # wrapped, never cut
    width, height, words = word_boxes(data, tmp_path)
    margin = A4.margin * MM
    outside = [w for w, x, y in words if x > width - margin + 0.5 or y > height - margin]
    assert outside == []


def test_pack_is_a_summary_page_then_a_page_per_region(dataset, tmp_path):
    name, data = pack_file(dataset, REFERENCE, "id", t("scope_all", "id"))
    assert name == f"briefing_pack-all_id_v{dataset.version}_2021-11-15.pdf"
    assert page_count(data, tmp_path) == 1 + len(CODES)
    text = pdf_text(data, tmp_path)
    figures = metrics.headline(dataset.regions, dataset.stages, dataset.programs, REFERENCE)
    assert "Paket briefing kementerian" in text
    assert f"Tahap selesai Masterplan rampung {figures['regions']} {figures['stages_done']}" in text
    assert f"dari {figures['stages_total']}" in text
    assert f"di {figures['regions_late']} wilayah" in text
    assert "Halaman 1 dari 10" in text and "Halaman 10 dari 10" in text
    progress = metrics.region_progress(dataset.regions, dataset.stages, REFERENCE)
    first = progress.iloc[0]
    assert f"1 {first['name']} ({first.region_code}) {first.stages_done}/4" in text
    for region in dataset.regions.itertuples():
        assert text.count(region.name) >= 2  # ranked on the summary, and its own page


def test_pack_summary_stays_one_page_for_514_regions(tmp_path):
    from bench.briefing import synthetic_dataset

    summary = pack_summary(synthetic_dataset(514), REFERENCE, "en", "all regions")
    data = pack_pdf(summary, [])
    assert page_count(data, tmp_path) == 1
    text = pdf_text(data, tmp_path)
    assert "Regions Stages done Plans complete 514 " in text
    hidden = re.search(r"… (\d+) more regions \(see the region pages\) …", text)
    shown = re.findall(r"(\d+) (?:Kabupaten|Kota) [A-Za-z ]+ \d+ \(\d\d\.\d\d\) \d/4", text)
    assert hidden and int(hidden.group(1)) + len(shown) == 514
    assert shown[0] == "1" and shown[-1] == "514"  # the top and the bottom of the ranking


def test_fonts_are_embedded(dataset, tmp_path):
    fonts = pdf_info(region_file(dataset, "33.20", REFERENCE, "id")[1], tmp_path, "pdffonts")
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in row and "DejaVuSans" in row for row in rows)


def test_share_image_is_a_phone_width_png(dataset):
    name, data = region_file(dataset, "33.20", REFERENCE, "en", "png")
    assert name.endswith("_en_v1_2021-11-15.png")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width == SHARE_WIDTH_PX and height > width


def test_brief_and_file_name_follow_the_reference_date(dataset):
    early = region_brief(dataset, "33.19", dt.date(2021, 8, 1), "en")
    late = region_brief(dataset, "33.19", REFERENCE, "en")
    assert early.figures[2].value == "0" and late.figures[2].value != "0"
    assert file_name("33.19", 4, dt.date(2021, 8, 1), "en", "png") == (
        "briefing_33.19_en_v4_2021-08-01.png"
    )


@pytest.fixture
def cli_store(app_env):
    yield
    store.make_engine(app_env).dispose()


@pytest.mark.parametrize(
    "args, pages, text",
    [
        (["--region", "33.20", "--lang", "id"], 1, "Kabupaten Jepara"),
        (["--region", "33.19", "--lang", "en"], 1, "Bimtek 2 is late"),
        (["--scope", "all", "--lang", "en"], 10, "Ministry briefing pack"),
        (["--scope", "area:KSPN Borobudur", "--lang", "id"], 10, "Kawasan KSPN Borobudur"),
        (["--scope", "province:DI Yogyakarta", "--lang", "en"], 2, "Kabupaten Sleman"),
    ],
)
def test_cli_writes_the_briefing(cli_store, tmp_path, capsys, args, pages, text):
    from lib.cli.commands import main

    out = tmp_path / "out.pdf"
    assert main(["briefing", *args, "--reference-date", "2021-11-15", "--out", str(out)]) == 0
    wrote = {"id": "Ditulis", "en": "Wrote"}[args[args.index("--lang") + 1]]
    assert f"{wrote} {out}" in capsys.readouterr().out.replace(":", "")
    assert page_count(out.read_bytes(), tmp_path) == pages
    assert text in pdf_text(out.read_bytes(), tmp_path)


def test_cli_names_the_file_itself_and_writes_png(cli_store, tmp_path, monkeypatch, capsys):
    from lib.cli.commands import main

    monkeypatch.chdir(tmp_path)
    args = ["briefing", "--region", "33.20", "--format", "png", "--reference-date", "2021-11-15"]
    assert main(args) == 0
    written = tmp_path / "briefing_33.20_id_v1_2021-11-15.png"
    assert written.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--region", "99.99"], "Wilayah '99.99' tidak ada dalam data versi 1."),
        (["--region", "33.20", "--version", "7"], "Versi 7 tidak ada; versi yang ada: 1–1."),
        (["--scope", "all", "--format", "png"], "Paket briefing berupa PDF"),
        (["--scope", "mars"], "Cakupan 'mars' tidak dikenal."),
        (["--scope", "area:Mars", "--lang", "en"], "Unknown scope 'area:Mars'."),
    ],
)
def test_cli_refuses_what_it_cannot_make(cli_store, tmp_path, capsys, args, message):
    from lib.cli.commands import main

    assert main(["briefing", *args, "--out", str(tmp_path / "x.pdf")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
