"""A refusal (accounts.NotAllowed) as a sentence in the user's language."""

from __future__ import annotations

from lib.accounts import NotAllowed
from lib.i18n import CATALOGUE, problem_message, t


def refusal_text(refusal: NotAllowed, lang: str) -> str:
    """Refusal keys live either in a message file or in the older problem texts."""
    if refusal.key in CATALOGUE:
        return t(refusal.key, lang, **refusal.params)
    return problem_message(refusal.key, lang, refusal.params)
