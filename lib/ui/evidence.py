"""Streamlit: the region page's evidence section. Completeness for everyone; the attachments
(thumbnails drawn on the server, download links to lib/web/evidence.py) only for those who may
read the region; the attach form only for those who may attach. Every check is made again in
lib at the write and at the download route."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.core import config
from lib.core import evidence as core_evidence
from lib.core.i18n import t
from lib.core.plain_text import escape_markdown
from lib.ingest import evidence_intake as intake
from lib.storage import evidence as store_evidence
from lib.ui import icons
from lib.ui.auth import current_user
from lib.ui.flash import FLASH_KEY, flash, show_flash
from lib.ui.store import engine
from lib.views import evidence as view

FORM_KEY = "evidence_form"


def completeness(region, stages: pd.DataFrame, programs: pd.DataFrame, lang: str):
    """The region's completeness line and its table per dimension (figures, shown to all)."""
    evidenced = store_evidence.evidenced_targets(engine())
    row = core_evidence.by_region(region, stages, programs, evidenced).iloc[0]
    st.markdown(view.completeness_line(row, lang))
    return evidenced


def section(region: pd.DataFrame, stages: pd.DataFrame, programs: pd.DataFrame, lang: str):
    code = region["region_code"].iloc[0]
    st.subheader(t("evidence_title", lang))
    show_flash()
    evidenced = completeness(region, stages, programs, lang)
    user = current_user()
    if not store_evidence.may_read(user, code):
        st.info(t("evidence_login_needed", lang), icon=icons.LOCKED)
        return
    with st.expander(t("evidence_by_dimension", lang)):
        st.dataframe(view.dimension_table(programs, evidenced, lang), hide_index=True)
    targets = view.region_targets(code, stages, programs, lang)
    attachments = view.grouped(store_evidence.for_region(engine(), code))
    if not attachments:
        st.caption(t("evidence_none", lang))
    may_attach = store_evidence.may_attach(user, code)
    # In page order (stages, then programs); a row no longer in the data keeps its key.
    ordered = [t for t in targets if t in attachments] + [
        t for t in attachments if t not in targets
    ]
    for target in ordered:
        st.markdown(f"**{escape_markdown(targets.get(target, target[1]))}**")
        for item in attachments[target]:
            _attachment(item, may_attach, lang)
    if may_attach:
        _attach_form(code, targets, lang)


def for_review(diffs: dict, regions: tuple[str, ...], lang: str) -> None:
    """The evidence behind the rows a change set adds or changes, next to its cell diff in the
    approval queue: a reviewer sees it before verifying or approving (read-only here)."""
    targets = view.change_targets(diffs, lang)
    user = current_user()
    if not targets or not all(store_evidence.may_read(user, code) for code in regions):
        return
    st.markdown(f"**{t('evidence_title', lang)}**")
    found = store_evidence.attachments_for(engine(), targets)
    backed = [target for target in targets if found.get(target)]
    if not backed:
        st.caption(t("evidence_none_for_change", lang))
    for target in backed:
        st.markdown(escape_markdown(targets[target]))
        for item in found[target]:
            _attachment(item, False, lang)


def _attachment(item: store_evidence.Attachment, may_remove: bool, lang: str) -> None:
    picture, words, action = st.columns([1, 4, 1], vertical_alignment="center")
    thumb = store_evidence.thumbnail(engine(), item.id)
    if thumb:
        picture.image(thumb, width=96)
    words.markdown(escape_markdown(item.title))
    words.caption(escape_markdown(view.meta_line(item, lang)))
    if item.url:
        words.code(
            item.url, language=None, wrap_lines=True
        )  # a link is text: never fetched, never followed
    else:
        label = escape_markdown(t("evidence_download", lang, file=item.file_name))
        words.markdown(f"[{label}](/evidence/{item.id}?lang={lang})")
    if may_remove:
        action.button(
            t("evidence_remove", lang),
            key=f"evidence_remove_{item.id}",
            on_click=_remove,
            args=(item.id, lang),
        )


def _remove(attachment_id: int, lang: str) -> None:
    try:
        store_evidence.remove(engine(), current_user(), attachment_id)
    except store_evidence.EvidenceRefused as refusal:
        st.session_state["evidence_error"] = view.refusal_text(refusal, lang)
        return
    st.session_state[FLASH_KEY] = t("evidence_removed", lang)


def _attach_form(code: str, targets: dict, lang: str) -> None:
    error = st.session_state.pop("evidence_error", None)
    if error:
        st.error(error)
    expander = st.expander(t("evidence_attach_title", lang), expanded=error is not None)
    with expander, st.form(FORM_KEY, clear_on_submit=True):
        target = st.selectbox(
            t("evidence_target_label", lang),
            list(targets),
            format_func=lambda chosen: targets[chosen],
            key="evidence_target",
        )
        title = st.text_input(t("evidence_title_label", lang), key="evidence_title_input")
        upload = st.file_uploader(
            t("evidence_file_label", lang, limit=config.evidence_file_cap() // config.MB),
            key="evidence_file",
        )
        link = st.text_input(t("evidence_link_label", lang), key="evidence_link")
        submitted = st.form_submit_button(t("evidence_attach_button", lang))
    if submitted:
        _attach(code, target, title, upload, link, lang)


def _attach(code: str, target, title: str, upload, link: str, lang: str) -> None:
    if (upload is None) == (not link.strip()):
        st.session_state["evidence_error"] = t("evidence_need_file_or_link", lang)
        st.rerun()
    try:
        if upload is not None:
            _id, checked = intake.attach_upload(
                engine(),
                current_user(),
                region_code=code,
                target=target,
                title=title,
                name=upload.name,
                source=upload,
            )
            shown = checked.file_name
            notes = [t(note, lang) for note in checked.notes]
        else:
            intake.attach_link(
                engine(), current_user(), region_code=code, target=target, title=title, url=link
            )
            shown, notes = link.strip(), []
    except (intake.IntakeRefused, store_evidence.EvidenceRefused) as refusal:
        st.session_state["evidence_error"] = view.refusal_text(refusal, lang)
        st.rerun()
    flash(escape_markdown(" ".join([t("evidence_attached", lang, file=shown), *notes])))


def missing_section(dataset, lang: str) -> None:
    """The overview's "needs attention" for evidence: regions with done stages or programs that
    nothing backs (counts only: no file is shown here)."""
    st.subheader(t("evidence_missing_title", lang))
    evidenced = store_evidence.evidenced_targets(engine())
    st.caption(view.stage_line(dataset.stages, evidenced, lang))
    lines = view.missing_lines(dataset.regions, dataset.stages, dataset.programs, evidenced, lang)
    if not lines:
        st.success(t("evidence_missing_none", lang))
    elif len(lines) <= 12:
        st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines))
    else:
        frame = pd.DataFrame({t("evidence_missing_title", lang): lines})
        st.dataframe(frame, hide_index=True, width="stretch", height=380)
