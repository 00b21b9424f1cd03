"""The vocabularies (status, horizon, dimension, kind, stage) as data, from lib/core/vocab.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from lib.core.languages import LANGS

VOCAB_FILE = Path(__file__).with_name("vocab.toml")


@dataclass(frozen=True)
class Term:
    code: str | int
    labels: dict[str, str]
    written: dict[str, str]
    accepted: tuple[str, ...] = ()
    colour: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def _load(path: Path = VOCAB_FILE) -> dict[str, tuple[Term, ...]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[str, tuple[Term, ...]] = {}
    for kind, entry in data.items():
        terms = []
        for raw in entry["values"]:
            raw = dict(raw)
            terms.append(
                Term(
                    code=raw.pop("code"),
                    labels={lang: raw.pop(lang) for lang in LANGS},
                    written=raw.pop("written"),
                    accepted=tuple(raw.pop("accepted", ())),
                    colour=raw.pop("colour", None),
                    extra=raw,
                )
            )
        out[kind] = tuple(terms)
    return out


VOCAB = _load()
SETTINGS = {
    kind: {k: v for k, v in entry.items() if k != "values"}
    for kind, entry in tomllib.loads(VOCAB_FILE.read_text(encoding="utf-8")).items()
}


def codes(kind: str) -> tuple:
    return tuple(term.code for term in VOCAB[kind])


def term(kind: str, code) -> Term | None:
    return next((t for t in VOCAB[kind] if t.code == code), None)


def spellings(kind: str) -> dict[str, object]:
    """Every accepted spelling (labels and written forms in each language, and the extras)."""
    out: dict[str, object] = {}
    for t in VOCAB[kind]:
        for text in (*t.written.values(), *t.labels.values(), *t.accepted):
            out.setdefault(text, t.code)
    return out


def written(kind: str, lang: str) -> dict[object, str]:
    """How files in this language write each code."""
    return {t.code: t.written[lang] for t in VOCAB[kind]}


def colours(kind: str) -> dict[object, str]:
    return {t.code: t.colour for t in VOCAB[kind] if t.colour}
