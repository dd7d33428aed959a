"""Render the parts of pages that are the same for everyone once per rule set, and put pages together from them.

Everything kept here is derived from the rule set and the page's language alone (the footer's help
lines, a topic's texts, a question's fieldset split around its options' ``checked``), lives on the
rules holder, and starts afresh when the rules are reloaded. Nothing kept holds an answer. The
language is part of every key because the interface words in these pieces are translated.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from markupsafe import Markup

from ..model import Question
from .forms import ShownAnswer
from .language import current as current_language
from .state import current_region, holder, rules


def footer_help() -> Markup:
    """Return the footer's emergency numbers and crisis lines, rendered once per rule set and region."""
    region = current_region()
    derived = holder().derived(rules())
    key = ("footer_help", region.id, current_language())
    html = derived.get(key)
    if html is None:
        # Rendered straight from the environment (no context processors: this is one of them), with
        # autoescaping on like every .html template, so the text is already safe HTML.
        rendered = current_app.jinja_env.get_template("_footer_help.html").render(region=region)
        html = derived[key] = Markup(rendered)  # noqa: S704 - escaped by the template
    return html  # type: ignore[no-any-return]


def question_fields(question: Question, field: Any) -> Markup:
    """Return a question's fieldset, rendered by the macro in _fields.html.

    A fieldset without an error differs between people only in which options are checked, so the
    macro's output is split once per rule set around each option's ``checked`` and then put back
    together for each page: rendering it was most of a page's time. What is kept holds no answer.
    """
    macro = current_app.jinja_env.get_template("_fields.html").module.question  # type: ignore[attr-defined]
    data = field.data
    chosen = () if data is None else (data,) if isinstance(data, str) else tuple(data)
    if field.errors or not all(v in question.values for v in chosen):
        return macro(question, field)  # type: ignore[no-any-return]
    derived = holder().derived(rules())
    key = ("fieldset", question.id, current_language())
    if key not in derived:
        derived[key] = Fieldset.split(macro, question)
    fieldset: Fieldset | None = derived[key]
    if fieldset is None:  # the two renderings did not line up: render as usual
        return macro(question, field)  # type: ignore[no-any-return]
    return fieldset.join(question, frozenset(chosen))


class Fieldset:
    """Hold a question's fieldset as the text between its options' ``checked`` attributes."""

    __slots__ = ("checks", "pieces")
    CHECKED = " checked"

    def __init__(self, pieces: list[str], checks: list[str]) -> None:
        self.pieces = pieces
        self.checks = checks

    @classmethod
    def split(cls, macro: Any, question: Question) -> Fieldset | None:
        """Render the fieldset with no option and with every option checked, and find where they differ."""
        none = str(macro(question, ShownAnswer(None)))
        every = str(macro(question, ShownAnswer([o.value for o in question.options])))
        pieces, checks, start, i, j, width = [], [], 0, 0, 0, len(cls.CHECKED)
        while i < len(none) and j < len(every):
            if none[i] == every[j]:
                i, j = i + 1, j + 1
                continue
            pieces.append(none[start:i])
            checks.append(every[j : j + width])
            start, j = i, j + width
        pieces.append(none[start:])
        checks += [every[j:]] if j < len(every) else []
        found = cls(pieces, checks)
        values = [o.value for o in question.options]
        if len(checks) != len(values) or found.join(question, frozenset(values)) != every:
            return None
        return found

    def join(self, question: Question, chosen: frozenset[str]) -> Markup:
        """Return the fieldset with the chosen options checked."""
        out = [self.pieces[0]]
        for option, check, piece in zip(question.options, self.checks, self.pieces[1:], strict=False):
            if option.value in chosen:
                out.append(check)
            out.append(piece)
        return Markup("".join(out))  # noqa: S704 - pieces of the macro's own escaped output


def fragment(template: str, name: str, *args: Any) -> Markup:
    """Return a macro's output for rule-set content that reads the same for everyone (a topic's texts).

    Rendered once per rule set and kept on the rules holder: the results page shows every topic, and
    rendering their unchanging parts again for each person was most of that page's time. Only pass
    rule-set objects (anything with an ``id``) and plain values, never answers.
    """
    ids = ((type(a).__name__, a.id) if hasattr(a, "id") else a for a in args)
    ruleset = rules()
    # The rule set is the page's language; the interface words in the macro are in that language too.
    key = ("fragment", ruleset.language, template, name, *ids)
    derived = holder().derived(ruleset)
    html = derived.get(key)
    if html is None:
        macro = getattr(current_app.jinja_env.get_template(template).module, name)
        html = derived[key] = macro(*args)
    return html  # type: ignore[no-any-return]
