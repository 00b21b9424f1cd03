"""The languages the app speaks, in the order offered: the one place a language is registered
(its texts then go into every lib/messages/*.toml entry and lib/vocab.toml term; the catalogue
test lists what is still missing)."""

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}  # each named in its own words
LANGS = tuple(LANGUAGES)
DEFAULT_LANG = "id"
