"""Checks of values editors and content files give: web addresses, item keys, language codes.

Their messages are written for editors, and the importer, the admin and the course catalog use
the same ones.
"""

from __future__ import annotations

from django.core.validators import RegexValidator, URLValidator

HTTP_SCHEMES = ["http", "https"]
validate_http_url = URLValidator(
    schemes=HTTP_SCHEMES, message="Enter a full web address starting with http:// or https://."
)
validate_topic_key = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Use lowercase letters, digits and single hyphens, e.g. 'jwt-authentication'.",
)
validate_language_code = RegexValidator(
    r"^[a-z]{2}$", "Use a two-letter ISO 639-1 language code, e.g. 'en' or 'hi'."
)
