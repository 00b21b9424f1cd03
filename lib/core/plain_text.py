"""Data-derived text as text: a stored value as a cell shows it, and text shown in Streamlit
elements that render Markdown.

st.markdown, st.caption, st.title, notices, metric and widget labels all render Markdown (and
Streamlit's own directives such as :red[...] and :material/...:). A region or display name like
``![](http://host/x)`` would load a remote image for every viewer, ``[a](http://...)`` would be
a live link. Backslash-escaping every ASCII punctuation character is what CommonMark guarantees
to print literally; it also breaks bare-URL autolinks ("http\\://") and directives.
"""

from __future__ import annotations

import re

import pandas as pd

from lib.core.i18n import t
from lib.core.parse import is_missing

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def text_or_blank(value: object) -> str:
    """A stored value as text; a missing one as nothing, never 'nan' or '<NA>'."""
    return "" if is_missing(value) else str(value)


def escape_markdown(text: object) -> str:
    """Text that Markdown shows as typed; line breaks become spaces (a line could start a
    heading or a list)."""
    flat = " ".join(str(text).splitlines())
    return _PUNCTUATION.sub(r"\\\1", flat)


def t_text(key: str, lang: str, **params) -> str:
    """A message whose own Markdown stays, with every data-derived parameter escaped; numbers
    (plural choice) pass through unchanged."""
    safe = {
        name: value if isinstance(value, int | float) else escape_markdown(value)
        for name, value in params.items()
    }
    return t(key, lang, **safe)


def markdown_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for st.table, which renders each text cell as Markdown: text cells escaped,
    numbers and missing values left as they are."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(
                lambda value: value if value is None or pd.isna(value) else escape_markdown(value)
            )
    return safe
