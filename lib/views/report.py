"""Problems and changes as tables a user can read (and download), in their language."""

from __future__ import annotations

import pandas as pd

from lib.core.i18n import problem_message, problem_title, t
from lib.ingest.validate import Problem


def problems_frame(problems: list[Problem], lang: str) -> pd.DataFrame:
    columns = [
        "col_file",
        "col_sheet",
        "col_row",
        "col_column",
        "col_problem",
        "col_value",
        "col_message",
    ]
    rows = [
        [
            p.file,
            p.sheet or "",
            "" if p.row is None else str(p.row),
            p.column or "",
            problem_title(p.code, lang),  # the kind in words: the code itself is no user's word
            p.value,
            problem_message(p.key, lang, p.params),
        ]
        for p in problems
    ]
    return pd.DataFrame(rows, columns=[t(c, lang) for c in columns])
