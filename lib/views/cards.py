"""A table as HTML that reads at any width: a wrapping table on a desk, one card per row on a
phone, the row's key first and every other cell labelled. Streamlit's data grid cuts long
text (a problem's message, the fix it names) and on a phone shows the first columns only,
hiding the one that carries the meaning, with no cue that it scrolls.

Every header and cell is escaped here: data text never becomes markup."""

from __future__ import annotations

from html import escape

import pandas as pd

from lib.core.plain_text import text_or_blank

PHONE = 640  # px: below this width a table turns into cards

STYLE = f"""<style>
.kt table {{ border-collapse: collapse; width: 100%; font-size: 0.875rem; }}
.kt th, .kt td {{ text-align: left; vertical-align: top; padding: 0.3rem 0.5rem;
  border-bottom: 1px solid rgba(49, 51, 63, 0.1); overflow-wrap: break-word; }}
.kt {{ overflow-x: auto; }}
.kt th {{ font-weight: 600; color: rgba(49, 51, 63, 0.7); }}
.kt-more {{ font-size: 0.8rem; color: rgba(49, 51, 63, 0.7); margin-top: 0.3rem; }}
@media (max-width: {PHONE}px) {{
  .kt thead {{ display: none; }}
  .kt table, .kt tbody, .kt td {{ display: block; width: auto; }}
  .kt tr {{ display: flex; flex-direction: column; border: 1px solid rgba(49, 51, 63, 0.2);
    border-radius: 0.5rem; margin: 0 0 0.5rem; padding: 0.35rem 0.6rem; }}
  .kt td {{ border: 0; padding: 0.1rem 0; overflow-wrap: anywhere; }}
  .kt td:empty {{ display: none; }}
  .kt td::before {{ content: attr(data-label) ": "; color: rgba(49, 51, 63, 0.7); }}
  .kt td.kt-lead {{ font-weight: 600; order: -1; }}
  .kt td.kt-lead::before {{ content: none; }}
}}
</style>"""


def cards_html(
    frame: pd.DataFrame, lead: str | None = None, limit: int = 1000, more: str = ""
) -> str:
    """`lead` is the column that names a row (a region, a message): first and bold on a card
    (a desk's table keeps the frame's column order). Past `limit` rows the rest are left out
    and `more` (a sentence, e.g. "download them all") is said below."""
    columns = list(frame.columns)
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    rows = []
    for record in frame[columns].head(limit).itertuples(index=False):
        cells = []
        for column, value in zip(columns, record, strict=True):
            marked = ' class="kt-lead"' if column == lead else ""
            label = escape(str(column))
            cells.append(f'<td data-label="{label}"{marked}>{escape(text_or_blank(value))}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    note = f'<div class="kt-more">{escape(more)}</div>' if len(frame) > limit and more else ""
    return (
        f'{STYLE}<div class="kt"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{note}</div>"
    )
