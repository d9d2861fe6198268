"""The form an organization fills in: one field per question, built from the questionnaire.

Every field accepts what was typed; the engine parses and checks it, so a forged choice, a
number out of range or a wrong type gets the same clear message as in the service. Required
questions are enforced on submission only – a draft can be saved at any time.
"""

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import engine
from .constants import OTHER_MAX_LENGTH, TEXT_MAX_LENGTH, QuestionKind
from .models import Question, Response
from .services import question_field_name

_QUESTION_FIELD = re.compile(r"^q(\d+)(_other)?$")


class _AnyChoiceField(forms.ChoiceField):
    """Choice membership is checked by the engine (one message for all forged values)."""

    def valid_value(self, value) -> bool:
        return True


class _AnyMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value) -> bool:
        return True


def _scale_choices(question: Question) -> list[tuple[str, str]]:
    choices = [(str(value), str(value)) for value in range(1, 6)]
    if question.scale_min_label:
        choices[0] = ("1", f"1 – {question.scale_min_label}")
    if question.scale_max_label:
        choices[-1] = ("5", f"5 – {question.scale_max_label}")
    return choices


def _field_for(question: Question) -> forms.Field:
    common = {"label": question.text, "help_text": question.help_text, "required": False}
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
        if question.allow_other:
            choices.append((engine.OTHER, _("Sonstiges")))
        if kind == QuestionKind.SINGLE:
            return _AnyChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return _AnyMultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionKind.SCALE:
        return _AnyChoiceField(choices=_scale_choices(question), widget=forms.RadioSelect, **common)
    if kind == QuestionKind.YES_NO:
        return _AnyChoiceField(
            choices=[(engine.YES, _("Ja")), (engine.NO, _("Nein"))],
            widget=forms.RadioSelect,
            **common,
        )
    if kind == QuestionKind.TEXT:
        return forms.CharField(
            max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    return forms.CharField(
        max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
    )


def _initial(question: Question, value: engine.AnswerValue):
    """The stored answer as the form shows it."""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        picked = [str(pk) for pk in value.choice_ids]
        if value.other:
            picked.append(engine.OTHER)
        return picked[0] if question.kind == QuestionKind.SINGLE and picked else picked
    if value.number is not None:
        if question.kind == QuestionKind.SCALE:
            return str(int(value.number))
        places = 0 if value.number == value.number.to_integral_value() else 2
        return number_format(value.number, decimal_pos=places)
    if value.boolean is not None:
        return engine.YES if value.boolean else engine.NO
    return value.text


def _fingerprints(questions, values, response) -> str:
    seen = {str(q.pk): engine.value_hash(values.get(q.pk, engine.EMPTY)) for q in questions}
    seen["consent_contact"] = str(bool(response and response.consent_contact))
    seen["consent_named_text"] = str(bool(response and response.consent_named_text))
    return json.dumps(seen)


class ResponseForm(forms.Form):
    """``structure``: [(section, [question, …]), …]; ``values``: question pk → AnswerValue.

    After ``is_valid()``, ``self.values`` holds the valid answers of every question on the
    form (empty ones included, so clearing an answer works) – invalid ones are left out and
    carry their error; ``self.consents`` the two consent flags.
    """

    consent_contact = forms.BooleanField(
        label=gettext_lazy("Andere Mitglieder dürfen uns zu unseren Antworten ansprechen"),
        help_text=gettext_lazy(
            "Ihre Organisation erscheint dann in den Ergebnissen bei „Wer hat so geantwortet?“ "
            "mit Link auf Ihr Profil."
        ),
        required=False,
    )
    consent_named_text = forms.BooleanField(
        label=gettext_lazy("Unsere Freitextantworten dürfen mit unserem Namen gezeigt werden"),
        help_text=gettext_lazy(
            "Ohne diese Einwilligung erscheinen Ihre Freitexte in den Ergebnissen ohne Namen."
        ),
        required=False,
    )
    # Fingerprints of what the form showed (question pk → engine.value_hash, consents), so a
    # save writes only what the person changed and notices what others changed meanwhile.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, structure, values, response: Response | None, **kw):
        initial = {
            "consent_contact": bool(response and response.consent_contact),
            "consent_named_text": bool(response and response.consent_named_text),
        }
        super().__init__(*args, initial=initial, **kw)
        self.structure = structure
        self.questions = [question for _section, questions in structure for question in questions]
        for question in self.questions:
            name = question_field_name(question)
            self.fields[name] = _field_for(question)
            self.initial[name] = _initial(question, values.get(question.pk, engine.EMPTY))
            if question.allow_other:
                self.fields[f"{name}_other"] = forms.CharField(
                    label=_("Sonstiges, und zwar"), max_length=OTHER_MAX_LENGTH, required=False
                )
                self.initial[f"{name}_other"] = values.get(question.pk, engine.EMPTY).other
        self.initial["seen"] = _fingerprints(self.questions, values, response)
        self.values: dict[int, engine.AnswerValue] = {}
        self.consents: dict[str, bool] = {}

    def clean(self):
        cleaned = super().clean()
        self._reject_unknown_questions()
        for question in self.questions:
            name = question_field_name(question)
            if name in self.errors:
                continue
            try:
                value = engine.value_parse(
                    question, cleaned.get(name), cleaned.get(f"{name}_other", "")
                )
                engine.value_check(
                    question, value, choice_ids=[choice.pk for choice in question.choices.all()]
                )
            except ValidationError as exc:
                self.add_error(name, exc)
                continue
            self.values[question.pk] = value
        self.consents = {
            "consent_contact": bool(cleaned.get("consent_contact")),
            "consent_named_text": bool(cleaned.get("consent_named_text")),
        }
        return cleaned

    def base(self) -> dict[str, str] | None:
        """The fingerprints the form was loaded with (None if missing or tampered with)."""
        try:
            base = json.loads(self.data.get("seen", ""))
        except (TypeError, ValueError):
            return None
        if not isinstance(base, dict) or not all(isinstance(v, str) for v in base.values()):
            return None
        return base

    def question_base(self) -> dict[int, str] | None:
        base = self.base()
        if base is None:
            return None
        return {int(key): value for key, value in base.items() if key.isascii() and key.isdigit()}

    def changed_values(self) -> dict[int, engine.AnswerValue]:
        """The valid answers the person changed on this page (all valid ones without base)."""
        base = self.question_base()
        if base is None:
            return dict(self.values)
        return {
            pk: value
            for pk, value in self.values.items()
            if engine.value_hash(value) != base.get(pk)
        }

    def changed_consents(self) -> dict[str, bool | None]:
        """Consents the person changed on this page; None for an unchanged one."""
        base = self.base() or {}
        return {
            name: value if str(value) != base.get(name) else None
            for name, value in self.consents.items()
        }

    def refresh(self, *, values: dict[int, engine.AnswerValue], response) -> None:
        """After a save with errors: show what is stored now wherever the person changed
        nothing (a colleague's changes appear), keep everything the person typed, and base
        the next save on what is stored now."""
        data = self.data.copy()
        changed = self.changed_values()
        consents = self.changed_consents()
        for question in self.questions:
            name = question_field_name(question)
            if question.pk in changed or name in self.errors:
                continue
            current = values.get(question.pk, engine.EMPTY)
            shown = _initial(question, current)
            data.setlist(name, shown if isinstance(shown, list) else [shown])
            if question.allow_other:
                data[f"{name}_other"] = current.other
        for name, value in consents.items():
            if value is None:
                data.pop(name, None)
                if response is not None and getattr(response, name):
                    data[name] = "on"
        data["seen"] = _fingerprints(self.questions, values, response)
        self.data = data

    def _reject_unknown_questions(self) -> None:
        """A posted answer to a question that isn't (any longer) on the form is not stored –
        and the person is told, instead of silently dropping it."""
        for key in self.data:
            if _QUESTION_FIELD.match(key) and key not in self.fields:
                self.add_error(
                    None,
                    _(
                        "Eine Antwort bezog sich auf eine Frage, die es in diesem Fragebogen nicht "
                        "(mehr) gibt; sie wurde nicht gespeichert."
                    ),
                )
                return

    def sections(self):
        """(section, [(number, question, bound field, bound "Sonstiges" field or None), …])
        pairs; questions are numbered through all sections."""
        result = []
        number = 0
        for section, questions in self.structure:
            rows = []
            for question in questions:
                number += 1
                name = question_field_name(question)
                other = self[f"{name}_other"] if question.allow_other else None
                rows.append((number, question, self[name], other))
            result.append((section, rows))
        return result
