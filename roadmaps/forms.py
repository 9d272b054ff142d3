"""The learner-facing form of the roadmaps app: suggesting a resource for an item."""

from __future__ import annotations

from django import forms

from common.languages import LANGUAGE_NAMES
from roadmaps.choices import ResourceKind
from roadmaps.validators import HTTP_SCHEMES, validate_http_url


class HttpURLFormField(forms.URLField):
    """http(s) only, with the project's message (`validate_http_url`), said once."""

    default_validators = [validate_http_url]
    default_error_messages = {"invalid": validate_http_url.message}


class ResourceSuggestionForm(forms.Form):
    """What the learner types; `roadmaps.suggestions.suggestion_submit` judges the rest
    (private addresses, duplicates, the limit per learner)."""

    title = forms.CharField(max_length=200, label="Title")
    url = HttpURLFormField(
        max_length=500,
        label="Web address",
        assume_scheme="https",
        help_text=f"A public {' or '.join(HTTP_SCHEMES)} address.",
    )
    kind = forms.ChoiceField(choices=ResourceKind.choices, label="Kind")
    language = forms.ChoiceField(choices=list(LANGUAGE_NAMES.items()), label="Language")
    note = forms.CharField(
        max_length=500,
        required=False,
        label="Note for the editors (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Its ids must not meet the roadmap page's when the form opens in the item panel.
        kwargs.setdefault("auto_id", "suggest-%s")
        super().__init__(*args, **kwargs)
