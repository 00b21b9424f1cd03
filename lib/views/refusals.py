"""A refusal (accounts.NotAllowed) as a sentence in the user's language."""

from __future__ import annotations

from lib.core.i18n import CATALOGUE, problem_message, t
from lib.core.plain_text import escape_markdown
from lib.storage import approval
from lib.storage.accounts import NotAllowed

# Refusals told in several sentences: the lead, then one sentence per parameter that names
# something (an empty list is no sentence: "Rows it would remove: -." said nothing), then advice.
SENTENCES = {
    "upload_other_regions": (
        (("rows", "upload_other_rows"), ("removed", "upload_other_removed")),
        "upload_other_advice",
    ),
}


def refusal_text(refusal: NotAllowed, lang: str, markdown: bool = False) -> str:
    """Refusal keys live either in a message file or in the older problem texts. For a
    Streamlit element (markdown=True) the data-derived parameters are escaped."""
    params = {k: v.text(lang) if hasattr(v, "text") else v for k, v in refusal.params.items()}
    # approval's refusals name a state and a move by their codes: said in words
    if params.get("state") in approval.STATES:
        params["state"] = t(f"cs_state_{params['state']}", lang)
    if params.get("move") in approval.MOVES and params["move"] != "resubmit":
        params["move"] = t(f"cs_move_{params['move']}", lang)
    if markdown:
        params = {k: escape_markdown(v) for k, v in params.items()}
    if refusal.key in SENTENCES:
        parts, advice = SENTENCES[refusal.key]
        said = [t(key, lang, **{name: params[name]}) for name, key in parts if params.get(name)]
        return " ".join([t(refusal.key, lang), *said, t(advice, lang)])
    if refusal.key in CATALOGUE:
        return t(refusal.key, lang, **params)
    return problem_message(refusal.key, lang, params)
