"""Evidence as a reader sees it: refusals in words, the attachments of a region grouped by the
row they back, completeness tables and the "done without evidence" list."""

from __future__ import annotations

import pandas as pd

from lib.core import evidence as core_evidence
from lib.core.i18n import LOCAL_TZ, enum_label, fmt_datetime, fmt_int, t
from lib.ingest.evidence_intake import IntakeRefused
from lib.storage.diff import TableDiff
from lib.storage.evidence import Attachment, EvidenceRefused

WHAT = {
    "svg": "evidence_what_svg",
    "html": "evidence_what_html",
    "xml": "evidence_what_xml",
    "zip": "evidence_what_zip",
    "image": "evidence_what_image",
    "program": "evidence_what_program",
    "unknown": "evidence_what_unknown",
}
KIND_WORDS = {
    "document": "evidence_kind_document",
    "photo": "evidence_kind_photo",
    "spreadsheet": "evidence_kind_spreadsheet",
    "link": "evidence_kind_link",
}


def refusal_text(refusal: IntakeRefused | EvidenceRefused, lang: str) -> str:
    """The sentence a user reads: which file, what is wrong, what to do."""
    params = dict(refusal.params)
    if isinstance(refusal, IntakeRefused):
        params["file"] = refusal.file
    params.setdefault("file", "")
    if "what" in params:
        params["what"] = t(WHAT.get(params["what"], "evidence_what_unknown"), lang)
    return t(refusal.key, lang, **{k: params[k] for k in params if k != "reason"})


def target_label(target: core_evidence.Target, program_names: dict[str, str], lang: str) -> str:
    table, key = target
    if table == "stages":
        return t("evidence_target_stage", lang, stage=key.rsplit("|", 1)[-1])
    return t("evidence_target_program", lang, name=program_names.get(key, key))


def region_targets(
    code: str, stages: pd.DataFrame, programs: pd.DataFrame, lang: str
) -> dict[core_evidence.Target, str]:
    """Every row of a region evidence can back, in page order: its stages, then its programs."""
    names = dict(zip(programs["program_id"], programs["name"], strict=True))
    targets = [core_evidence.stage_target(code, s) for s in sorted(stages["stage"].dropna())]
    targets += [core_evidence.program_target(p) for p in programs["program_id"]]
    return {target: target_label(target, names, lang) for target in targets}


def change_targets(diffs: dict[str, TableDiff], lang: str) -> dict[core_evidence.Target, str]:
    """The rows a change set adds or changes that evidence can back, labelled, in page order:
    what a reviewer checks the evidence of before verifying or approving."""
    targets: dict[core_evidence.Target, str] = {}
    if (stages := diffs.get("stages")) is not None:
        for frame in (stages.changed_new, stages.added):
            for code, stage in zip(frame["region_code"], frame["stage"], strict=True):
                target = core_evidence.stage_target(code, stage)
                targets[target] = f"{code} · {target_label(target, {}, lang)}"
    if (programs := diffs.get("programs")) is not None:
        for frame in (programs.changed_new, programs.added):
            for program_id, name in zip(frame["program_id"], frame["name"], strict=True):
                targets[core_evidence.program_target(program_id)] = f"{program_id} · {name}"
    return targets


def meta_line(attachment: Attachment, lang: str) -> str:
    return t(
        "evidence_meta",
        lang,
        kind=t(KIND_WORDS[attachment.kind], lang),
        author=attachment.author,
        date=fmt_datetime(attachment.created_at.astimezone(LOCAL_TZ), lang),
        version=fmt_int(attachment.version, lang),
    )


def grouped(attachments: list[Attachment]) -> dict[core_evidence.Target, list[Attachment]]:
    out: dict[core_evidence.Target, list[Attachment]] = {}
    for item in attachments:
        out.setdefault((item.target_table, item.target_key), []).append(item)
    return out


def completeness_line(row, lang: str, key: str = "evidence_completeness") -> str:
    """A region's completeness row (core.evidence.by_region) in words: the region page's line,
    or the briefing's (key="evidence_briefing_line")."""
    return t(
        key,
        lang,
        stages_with=fmt_int(row.stages_with, lang),
        stages_done=fmt_int(row.stages_done, lang),
        programs_with=fmt_int(row.programs_with, lang),
        programs_done=fmt_int(row.programs_done, lang),
    )


def dimension_table(programs: pd.DataFrame, evidenced: set, lang: str) -> pd.DataFrame:
    counts = core_evidence.by_dimension(programs, evidenced)
    return pd.DataFrame(
        {
            t("evidence_col_dimension", lang): [
                enum_label("dimension", d, lang) for d in counts["dimension"]
            ],
            t("evidence_col_done", lang): counts["done"],
            t("evidence_col_with", lang): counts["with_evidence"],
        }
    )


def missing_lines(
    regions: pd.DataFrame, stages: pd.DataFrame, programs: pd.DataFrame, evidenced: set, lang: str
) -> list[str]:
    """The overview's "done without evidence": one line per region with any, most first."""
    table = core_evidence.by_region(regions, stages, programs, evidenced)
    table = table[table["missing"] > 0].sort_values(["missing", "name"], ascending=[False, True])
    return [
        t(
            "evidence_missing_line",
            lang,
            region=row.name,
            stages=fmt_int(row.stages_done - row.stages_with, lang),
            programs=fmt_int(row.programs_done - row.programs_with, lang),
        )
        for row in table.itertuples()
    ]


def stage_line(stages: pd.DataFrame, evidenced: set, lang: str) -> str:
    """Across the regions shown: per stage number, done stages with evidence of done stages."""
    counts = core_evidence.by_stage(stages, evidenced)
    parts = [
        t(
            "evidence_stage_count",
            lang,
            stage=int(row.stage),
            with_evidence=fmt_int(row.with_evidence, lang),
            done=fmt_int(row.done, lang),
        )
        for row in counts.itertuples()
    ]
    return t("evidence_by_stage", lang, stages=" · ".join(parts))
