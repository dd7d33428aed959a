"""Build WTForms classes from the question definitions, once per page and rule set."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from wtforms import Field, RadioField, SelectChoice, SelectMultipleField, ValidationError
from wtforms.validators import InputRequired, Optional

from ..model import Page, Question, RuleSet

# Names a question id must not take, because FlaskForm already uses them.
RESERVED = frozenset(dir(FlaskForm)) | {"csrf_token", "return"}


class ChoiceField(RadioField):
    """Accept one of the offered options; say plainly when a value is not offered."""

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and self.data not in {c.value for c in self.choices}:  # type: ignore[union-attr]
            raise ValidationError(gettext("That answer is not one of the options. Choose one of the options shown."))


class ChoicesField(SelectMultipleField):
    """Accept any of the offered options; an exclusive option must stand alone."""

    def __init__(self, *args: Any, exclusive: frozenset[str] = frozenset(), exclusive_label: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.exclusive = exclusive
        self.exclusive_label = exclusive_label

    def pre_validate(self, form: Any) -> None:
        offered = {c.value for c in self.choices}  # type: ignore[union-attr]
        if any(v not in offered for v in self.data or ()):
            raise ValidationError(gettext("That answer is not one of the options. Choose from the options shown."))
        chosen = set(self.data or ())
        if chosen & self.exclusive and len(chosen) > 1:
            raise ValidationError(gettext("Choose ‘%(option)s’ on its own, or untick it", option=self.exclusive_label))


def _field(question: Question) -> Field:
    choices = [SelectChoice(o.value, o.label) for o in question.options]
    if question.multiple:
        # Lazy: the form class is built once per rule set and shown in every language.
        message = _l("Choose at least one answer")
        if question.exclusive_values():
            message = _l("Choose at least one answer, or ‘None of these’")
        exclusive = question.exclusive_values()
        label = next((o.label for o in question.options if o.exclusive), "")
        validators = [InputRequired(message=message)] if question.required else [Optional()]
        return ChoicesField(
            question.text,
            choices=choices,
            validators=validators,
            exclusive=exclusive,
            exclusive_label=label,
            validate_choice=False,
        )
    validators = [InputRequired(message=_l("Choose one answer"))] if question.required else [Optional()]
    return ChoiceField(question.text, choices=choices, validators=validators, validate_choice=False)


class FormFactory:
    """Make and cache one form class per page and set of shown questions, for one rule set."""

    def __init__(self) -> None:
        #: By language: the rule set the classes were made for, and the classes (labels are in that language).
        self._caches: dict[str, tuple[RuleSet, dict[tuple[str, tuple[str, ...]], type[FlaskForm]]]] = {}

    def form_class(self, ruleset: RuleSet, page: Page, questions: tuple[Question, ...]) -> type[FlaskForm]:
        """Return the form class for these questions of a page."""
        owner, cache = self._caches.get(ruleset.language, (None, {}))
        if owner is not ruleset:
            cache = {}
            self._caches[ruleset.language] = (ruleset, cache)
        key = (page.id, tuple(q.id for q in questions))
        cls = cache.get(key)
        if cls is None:
            clashes = [q.id for q in questions if q.id in RESERVED]
            if clashes:
                raise ValueError(f"question id '{clashes[0]}' clashes with a form attribute; rename it")
            attrs = {q.id: _field(q) for q in questions}
            cls = type(f"PageForm_{page.id}", (FlaskForm,), attrs)
            cache[key] = cls
        return cls


class ShownAnswer:
    """Hold what the question template reads of a field: the answer shown, and no errors."""

    __slots__ = ("data",)
    errors: tuple[str, ...] = ()

    def __init__(self, data: str | list[str] | None) -> None:
        self.data = data


class ShownForm:
    """Show stored answers on a question page, as the template reads a form, without building one.

    Only a POST is validated, with the WTForms class above; a GET needs just each answer and the CSRF
    token, and building a WTForms form for that was a tenth of the page's time.
    """

    errors: dict[str, list[str]] = {}  # noqa: RUF012 - read-only: a page shown has no errors

    def __init__(self, questions: tuple[Question, ...], data: dict[str, str | list[str]]) -> None:
        self.fields = {q.id: ShownAnswer(data.get(q.id)) for q in questions}

    def __getitem__(self, question_id: str) -> ShownAnswer:
        return self.fields[question_id]

    @property
    def csrf_token(self) -> Markup:
        """Return the hidden CSRF input, exactly as Flask-WTF renders it."""
        return Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="{}">').format(generate_csrf())
