"""The languages resources are offered in, by ISO 639-1 code.

Content (a resource's language) and accounts (a learner's preferred language) both name them;
the list lives here so neither app imports the other for it.
"""

from __future__ import annotations

LANGUAGE_NAMES = {
    "en": "English",
    "hi": "Hindi",
    "bn": "Bengali",
    "ta": "Tamil",
    "te": "Telugu",
    "mr": "Marathi",
    "ur": "Urdu",
    "es": "Spanish",
    "pt": "Portuguese",
    "fr": "French",
    "de": "German",
}


def language_name(code: str) -> str:
    """The English name of `code`, or the code in capitals for a language we have no name for."""
    return LANGUAGE_NAMES.get(code, code.upper())
