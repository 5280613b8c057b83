"""Public forms: subscribe, contact. Both carry the honeypot and the signed start time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from innesto.portal.engage.abuse import HONEYPOT_FIELD, form_started_token
from innesto.portal.engage.models import MailingList


class _Guarded(forms.Form):
    """Adds the hidden start time and the honeypot (hidden from people and screen readers)."""

    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False, label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
        if not self.is_bound:
            self.initial["started"] = form_started_token()


def list_label(m: MailingList, language: str) -> str:
    """``Axis: Industrial transformation (2006)``; the whole-plan list by its name alone."""
    if m.kind == MailingList.Kind.PLAN:
        return m.name(language)
    with translation.override(language):
        kind = str(MailingList.Kind(m.kind).label)
    return f"{kind}: {m.name(language)}"


def _one_line(value: str) -> str:
    """Refuse line breaks and control characters (they would end up in mail headers)."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise forms.ValidationError(_("Write this on one line, without special characters."))
    return value


class SubscribeForm(_Guarded):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    lists = forms.ModelMultipleChoiceField(
        queryset=MailingList.objects.filter(active=True), label=_("Lists"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one list.")})
    consent = forms.BooleanField(label=_("I agree to the processing of my address as "
                                         "described above."))

    def __init__(self, *args: Any, language: str = "it", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lists"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.label_from_instance = lambda m: list_label(m, language)  # type: ignore[method-assign,assignment]


class ContactForm(_Guarded):
    name = forms.CharField(label=_("Your name"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    topic = forms.ChoiceField(label=_("Topic (axis, sector or project)"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)
    copy_to_sender = forms.BooleanField(label=_("Send me a copy"), required=False)
    privacy = forms.BooleanField(label=_("I have read the privacy notice."))

    def clean_subject(self) -> str:
        return _one_line(self.cleaned_data["subject"])

    def clean_name(self) -> str:
        return _one_line(self.cleaned_data["name"])

    def __init__(self, *args: Any, topics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topic"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = topics
