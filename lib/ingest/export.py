"""Files we hand to users. Text that Excel would run as a formula is neutralised."""

from __future__ import annotations

import pandas as pd

from lib.core.parse import FORMULA_STARTS


def neutralise(value: object) -> object:
    """Prefix a quote to text that Excel or LibreOffice would read as a formula; numbers stay."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise).astype(object)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # UTF-8 with BOM so Excel opens Indonesian text correctly.
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig")
