"""Streamlit's file uploader in the reader's language. Its own button word and size line are
English-only (no parameter sets them): they are taken out of the page, display:none, so a
screen reader does not read them either, and ours are drawn in their place (texts from the
message file, never from data)."""

from __future__ import annotations

import streamlit as st

from lib.core.i18n import choice_list, t


def dropzone_words(lang: str, types: tuple[str, ...] | list[str], mb: int) -> None:
    button = t("uploader_button", lang).replace('"', "")
    listed = choice_list([f".{kind}" for kind in types], lang)
    limit = t("uploader_limit", lang, types=listed, mb=mb).replace('"', "")
    zone = '[data-testid="stFileUploaderDropzone"]'
    st.html(
        f"""<style>
{zone} button [data-testid="stMarkdownContainer"] p {{ display: none !important; }}
{zone} button [data-testid="stMarkdownContainer"]::after {{
  content: "{button}"; font-size: 0.875rem; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none !important; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "{limit}"; font-size: 0.875rem; }}
</style>"""
    )
