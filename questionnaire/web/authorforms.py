"""What the author mode lets an editor change for each kind of item, and how a form maps onto the YAML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..authoring import conditiondraft, yamledit
from ..authoring.conditiondraft import ConditionDraft
from .language import english

#: Evidence levels, as the rule files spell them.
EVIDENCE = ("strong", "moderate", "limited-or-mixed")


@dataclass(frozen=True, slots=True)
class Spec:
    """Describe one editable part of an item: its key, label, kind of input and whether it may be empty."""

    key: str
    label: Any  # a lazy string: shown in the page's language
    input: str  # text, long, lines, sources, choice, number, condition, options, parts
    hint: Any = ""
    optional: bool = False


_LINES = _l("One per line.")
_SOURCES = _l("One per line: the name, a space, a bar (|), a space, then the https:// address.")
FIELDS: dict[str, tuple[Spec, ...]] = {
    "ruleset": (
        Spec("name", _l("Name"), "text"),
        Spec("last_reviewed", _l("Last reviewed by a clinician (YYYY-MM-DD)"), "text"),
        Spec("disclaimer", _l("Disclaimer shown on every result"), "long"),
    ),
    "page": (
        Spec("title", _l("Page title"), "text"),
        Spec("intro", _l("Line under the title"), "text", optional=True),
        Spec(
            "show_if",
            _l("Show this page only when"),
            "condition",
            _l("Leave the question empty to show it to everyone."),
            True,
        ),
    ),
    "question": (
        Spec("text", _l("Question"), "text"),
        Spec("short", _l("Short name (check page, errors, clinician summary)"), "text"),
        Spec("hint", _l("Hint under the question"), "text", optional=True),
        Spec("options", _l("Options"), "options"),
        Spec(
            "show_if",
            _l("Show this question only when"),
            "condition",
            _l("Leave the question empty to ask everyone."),
            True,
        ),
    ),
    "category": (
        Spec("title", _l("Title"), "text"),
        Spec("summary", _l("Summary (one plain sentence)"), "long"),
        Spec("evidence", _l("Strength of the research"), "choice"),
        Spec("education", _l("Education (Markdown: a blank line starts a new paragraph)"), "long"),
        Spec("things_to_try", _l("Things to try"), "lines", _LINES),
        Spec("provider_prompts", _l("Questions to ask a clinician"), "lines", _LINES),
        Spec("sources", _l("Sources"), "sources", _SOURCES),
    ),
    "rule": (
        Spec("reason", _l("Reason shown to the person"), "long", _l("Write {question_id} to repeat their answer.")),
        Spec("weight", _l("Weight, 1 (a weak sign) to 10 (a strong sign)"), "number"),
        Spec("when", _l("The rule applies when"), "condition"),
        Spec("provider_prompts", _l("Extra questions to ask a clinician"), "lines", _LINES, True),
    ),
    "notice": (
        Spec("title", _l("Title"), "text"),
        Spec("message", _l("Message (Markdown)"), "long"),
        Spec("reason", _l("Reason shown to the person"), "long"),
        Spec("when", _l("The notice shows when"), "condition"),
        Spec("sources", _l("Sources"), "sources", _SOURCES),
    ),
    "section": (
        Spec("title", _l("Title"), "text"),
        Spec("parts", _l("Parts (Markdown)"), "parts"),
        Spec("provider_prompts", _l("Questions to ask a clinician"), "lines", _LINES, True),
        Spec("sources", _l("Sources"), "sources", _SOURCES),
    ),
    "ending": (
        Spec("title", _l("Title"), "text"),
        Spec("message", _l("Message (Markdown)"), "long"),
        Spec("when", _l("The questionnaire ends here when"), "condition"),
    ),
}
#: What each kind of item is called in the author mode's titles ("Edit question mood_low").
NAMES = {
    "ruleset": _l("rule set"),
    "page": _l("page"),
    "question": _l("question"),
    "ending": _l("ending"),
    "category": _l("topic"),
    "rule": _l("rule"),
    "notice": _l("urgent notice"),
    "section": _l("section"),
}


def values_from_data(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return the form's starting values from an item's data."""
    values: dict[str, Any] = {}
    for spec in FIELDS[kind]:
        raw = data.get(spec.key)
        if spec.input == "lines":
            values[spec.key] = "\n".join(str(v) for v in raw or [])
        elif spec.input == "sources":
            values[spec.key] = "\n".join(f"{s['name']} | {s['url']}" for s in raw or [])
        elif spec.input == "options":
            values[spec.key] = [
                {"value": str(o["value"]), "label": str(o["label"]), "hint": str(o.get("hint") or "")} for o in raw
            ]
        elif spec.input == "parts":
            values[spec.key] = [str(p["text"]).rstrip("\n") for p in raw]
        elif spec.input == "condition":
            values[spec.key] = conditiondraft.from_data(raw)
        else:
            values[spec.key] = "" if raw is None else str(raw).rstrip("\n")
    return values


def values_from_form(kind: str, form: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Return the values an editor submitted, shaped as values_from_data returns them."""

    def get(name: str) -> str:
        return str(form.get(name, "")).replace("\r\n", "\n")

    values: dict[str, Any] = {}
    for spec in FIELDS[kind]:
        if spec.input == "options":
            values[spec.key] = [
                {"value": str(o["value"]), "label": get(f"options-{i}-label"), "hint": get(f"options-{i}-hint")}
                for i, o in enumerate(data.get("options") or [])
            ]
        elif spec.input == "parts":
            values[spec.key] = [get(f"parts-{i}-text") for i, _ in enumerate(data.get("parts") or [])]
        elif spec.input == "condition":
            values[spec.key] = conditiondraft.from_form(spec.key, get, form.getlist)
        else:
            values[spec.key] = get(spec.key)
    return values


def apply(kind: str, item: Any, values: dict[str, Any]) -> list[str]:
    """Write the values into a round-trip item; return what cannot be written, in words."""
    problems: list[str] = []
    for spec in FIELDS[kind]:
        value = values[spec.key]
        if spec.input in ("text", "long", "choice"):
            text = value.strip() if spec.input != "long" else value.strip("\n").rstrip()
            if not text and not spec.optional:
                problems.append(gettext("%(field)s: write something here; it cannot be empty", field=spec.label))
                continue
            yamledit.set_text(item, spec.key, text)
        elif spec.input == "number":
            if not value.strip().isdigit():
                problems.append(gettext("%(field)s: write a whole number", field=spec.label))
            elif item.get(spec.key) != int(value):
                item[spec.key] = int(value)
        elif spec.input == "lines":
            yamledit.set_list(item, spec.key, [line.strip() for line in value.splitlines() if line.strip()])
        elif spec.input == "sources":
            problems += _sources(item, spec, value)
        elif spec.input == "options":
            for option, entered in zip(item["options"], value, strict=True):
                yamledit.set_text(option, "label", entered["label"].strip())
                yamledit.set_text(option, "hint", entered["hint"].strip())
        elif spec.input == "parts":
            for part, text in zip(item["parts"], value, strict=True):
                yamledit.set_text(part, "text", text.strip("\n").rstrip())
        elif spec.input == "condition":
            problems += _condition(item, spec, value)
    return problems


def _sources(item: Any, spec: Spec, value: str) -> list[str]:
    sources = []
    for number, line in enumerate((x for x in value.splitlines() if x.strip()), start=1):
        name, bar, url = line.rpartition("|")
        if not bar:
            return [
                gettext(
                    "%(field)s, line %(line)s: write the name, then ' | ', then the address",
                    field=spec.label,
                    line=number,
                )
            ]
        sources.append((name.strip(), url.strip()))
    yamledit.set_sources(item, sources)
    return []


def _condition(item: Any, spec: Spec, draft: ConditionDraft) -> list[str]:
    try:
        data = draft.to_data()
    except ValueError as exc:
        # The core's reason is English (it quotes the YAML reader): marked so for screen readers.
        said = Markup(gettext("%(field)s: %(problem)s"))  # noqa: S704 - the catalogue's text, not the editor's
        return [said % {"field": spec.label, "problem": english(str(exc))}]
    if data is None:
        if not spec.optional:
            return [gettext("%(field)s: choose a question for the condition", field=spec.label)]
        if spec.key in item:
            del item[spec.key]
        return []
    if spec.key in item:
        item[spec.key] = yamledit.condition_node(data, item[spec.key])
    else:  # a new show_if goes before the page's questions or the question's options, where readers look for it
        keys = list(item)
        place = (
            keys.index("questions")
            if "questions" in keys
            else keys.index("options")
            if "options" in keys
            else len(keys)
        )
        item.insert(place, spec.key, yamledit.condition_node(data, None))
    return []
