from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms

from accounts.models import User
from accounts.services import TOKEN_NAME_MAX_LENGTH
from common.languages import language_name
from roadmaps.models import Resource

DELETE_PHRASE = "delete my account"


def language_choices(*, current: str = "") -> list[tuple[str, str]]:
    """The languages published resources are in (offering one nothing is written in would only
    disappoint), plus the learner's `current` choice so saving the form never changes it."""
    codes = Resource.objects.published().language_codes()
    if current and current not in codes:
        codes.append(current)
    return [("", "No preference"), *((code, language_name(code)) for code in codes)]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "is_profile_public"]
        labels = {
            "display_name": "Display name",
            "preferred_language": "Preferred resource language",
            "is_profile_public": "Make my profile and progress public",
        }
        help_texts = {
            "display_name": "Shown instead of your username. Leave empty to use your username.",
            "preferred_language": "Resources in this language are listed first on roadmaps.",
            "is_profile_public": "Anyone with the link can see your name and roadmap progress.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"] = forms.ChoiceField(
            choices=language_choices(current=self.instance.preferred_language),
            required=False,
            label=self.Meta.labels["preferred_language"],
            help_text=self.Meta.help_texts["preferred_language"],
        )

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=TOKEN_NAME_MAX_LENGTH,
        label="Token name",
        help_text="What will use it, e.g. “progress sync script”.",
    )


class AccountDeleteForm(forms.Form):
    confirmation = forms.CharField(
        label=f"Type “{DELETE_PHRASE}” to confirm",
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_confirmation(self) -> str:
        typed = " ".join(self.cleaned_data["confirmation"].lower().split())
        if typed != DELETE_PHRASE:
            raise forms.ValidationError(
                f"Type “{DELETE_PHRASE}” exactly to confirm; your account was not deleted."
            )
        return typed


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form in the site's words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"
