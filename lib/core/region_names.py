"""Kabupaten/Kota in region names: which words say a region's kind, where a name carries one
("Kabupaten Semarang", "KAB. SEMARANG", "Kota Semarang", "Semarang Regency"), and the short
forms charts and maps show. The words are data: [kind] in lib/core/vocab.toml."""

from __future__ import annotations

import re
from typing import NamedTuple

from lib.core import vocab
from lib.core.schema import normalise_token

_SETTINGS = vocab.SETTINGS["kind"]
KIND_WORDS = {normalise_token(word): kind for word, kind in vocab.spellings("kind").items()}
BARE_KIND = _SETTINGS["bare_name"]
_FOLLOWING = {normalise_token(word) for word in _SETTINGS["follows_name"]}
_SHORT = {normalise_token(word): short for word, short in _SETTINGS["short"].items()}
_GAP = "[^0-9a-z]+"  # what normalise_token folds into one "_"
_PLAIN_GAP = re.compile(r"\.?\s+")


def _any_of(tokens) -> str:
    """Longest first, so "kota administrasi" wins over "kota"."""
    return "|".join(
        _GAP.join(map(re.escape, token.split("_")))
        for token in sorted(tokens, key=len, reverse=True)
    )


_WORD_BEFORE = re.compile(
    rf"^[^0-9a-z]*({_any_of(KIND_WORDS.keys() - _FOLLOWING)}){_GAP}(?=[0-9a-z])", re.IGNORECASE
)
_WORD_AFTER = re.compile(rf"(?<=[0-9a-z]){_GAP}({_any_of(_FOLLOWING)})[^0-9a-z]*$", re.IGNORECASE)


def kind_of(word: object) -> str | None:
    """The kind a word says ("KAB.", "Regency", "Kotamadya"); None for any other word or blank."""
    return KIND_WORDS.get(normalise_token(word))


class _Parts(NamedTuple):
    kind: str | None
    word: str  # the kind word as written, "" for a bare name
    base: str  # the name without it
    before: bool
    plain: bool  # "Kab. Semarang": only a space (after a dot) between word and name


def _parts(name: object) -> _Parts:
    text = str(name)
    match = _WORD_BEFORE.match(text)
    if match:
        lead, gap = text[: match.start(1)], text[match.end(1) : match.end()]
        plain = not lead.strip() and bool(_PLAIN_GAP.fullmatch(gap))
        return _Parts(kind_of(match[1]), match[1], text[match.end() :], True, plain)
    match = _WORD_AFTER.search(text)
    if match:
        gap, tail = text[match.start() : match.start(1)], text[match.end(1) :]
        plain = bool(_PLAIN_GAP.fullmatch(gap)) and not tail.strip(". ")
        return _Parts(kind_of(match[1]), match[1], text[: match.start()], False, plain)
    return _Parts(None, "", text, False, False)


def split_name(name: object) -> tuple[str | None, str]:
    """("kota", "semarang") for "Kota Semarang" or "KOTA SEMARANG", ("kabupaten", "semarang")
    for "Kab. Semarang" or "Semarang Regency", (None, "semarang") for a bare "Semarang": the
    kind its name says and the rest folded for comparing."""
    parts = _parts(name)
    return parts.kind, normalise_token(parts.base)


def short_name(name: object, *, bare: bool = False) -> str:
    """ "Kab. Karanganyar": chart panels of a phone-wide grid and map labels must not run into
    each other. bare: "Karanganyar", the map's label where even that does not fit (a bare name
    is a Kabupaten, so "Kota Semarang" keeps its word)."""
    parts = _parts(name)
    if not parts.plain:  # "(Kab.) Semarang", "Kabupaten-Semarang": kept as written
        return str(name)
    if bare and parts.kind == BARE_KIND:
        return parts.base
    short = _SHORT.get(normalise_token(parts.word)) if parts.before else None
    return f"{short} {parts.base}" if short else str(name)
