"""The languages the app speaks, in the order offered: the one place a language is registered.

Adding one is one entry here; its words then go into every lib/core/messages/*.toml entry and
lib/core/vocab.toml term (the catalogue test lists what is still missing). Numbers, dates, plurals
and the clock follow its Babel locale; nothing else in the code names a language.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    name: str  # in its own words, as the language picker offers it
    tag: str  # BCP 47: the Babel locale for numbers, dates and plurals; a PDF's /Lang


REGISTRY = {
    "id": Language("Bahasa Indonesia", "id-ID"),
    "en": Language("English", "en-GB"),
}
LANGUAGES = {code: language.name for code, language in REGISTRY.items()}
LANGS = tuple(REGISTRY)
DEFAULT_LANG = LANGS[0]
# The browser's remembered choice: set by lib/web/prefs, read by lib/ui/lang.
LANG_COOKIE = "kspn_lang"
