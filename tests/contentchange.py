"""Make the "painkiller-days" content change the way docs/authoring.md tells an editor to, as text edits.

A content editor added a required question with options to an existing page, a rule that reads
it (with examples where it fires and where it stays silent), raised the version and had the new
texts translated into every language the rule set lists. This script
does the same to any copy of the rules, so a test can run the tools and the walking tests on it.
It reads the rules only to find where to write; it assumes nothing about their wording.
"""

from __future__ import annotations

import re
from pathlib import Path

from questionnaire.loader import load_ruleset
from questionnaire.model import RuleSet
from questionnaire.translation.catalogue import update

#: What the editor's translator writes for the new texts, by language and English text.
TRANSLATIONS = {
    "es": {
        "In a usual month, on how many days do you take painkillers?": "En un mes normal, ¿cuántos días toma calmantes?",
        "Painkiller days": "Días con calmantes",
        "0 to 4 days": "De 0 a 4 días",
        "5 to 9 days": "De 5 a 9 días",
        "10 to 14 days": "De 10 a 14 días",
        "15 days or more": "15 días o más",
        "You said you take painkillers {%s} in a month.": "Usted dijo que toma calmantes {%s} al mes.",
        "Ask if taking painkillers on many days could be making your headaches worse.": (
            "Pregunte si tomar calmantes muchos días podría empeorar sus dolores de cabeza."
        ),
    }
}

OPTIONS = [("0_4", "0 to 4 days"), ("5_9", "5 to 9 days"), ("10_14", "10 to 14 days"), ("15_plus", "15 days or more")]


def fresh_id(taken: set[str], wanted: str) -> str:
    """Return wanted, or wanted with a number added when the rules already use it."""
    name, number = wanted, 2
    while name in taken:
        name, number = f"{wanted}_{number}", number + 1
    return name


def target_page(ruleset: RuleSet) -> str:
    """Choose the page the editor adds to: the headache page if there is one, else the last page shown to all."""
    shown_to_all = [p for p in ruleset.pages if p.show_if is None]
    if "headaches" in ruleset.questions:
        page = ruleset.page(ruleset.questions["headaches"].page_id)
        if page is not None and page.show_if is None:
            return page.id
    return shown_to_all[-1].id


def add_painkiller_days(rules: Path) -> dict[str, str]:
    """Add the question, the rule and a raised version to the rules folder; return the new ids."""
    ruleset = load_ruleset(rules)
    qid = fresh_id(set(ruleset.questions) | set(ruleset.retired), "painkiller_days")
    ids = {r.id for r in ruleset.rules} | {n.id for n in ruleset.urgent} | {s.id for s in ruleset.sections}
    rid = fresh_id(ids | {e.id for e in ruleset.endings}, "painkiller-days-often")
    page = target_page(ruleset)
    _add_question(rules / "questions.yaml", page, qid)
    _add_rule(rules / "rules.yaml", qid, rid)
    _raise_version(rules / "ruleset.yaml")
    _translate(rules)
    return {"question": qid, "rule": rid, "page": page}


def _add_question(path: Path, page_id: str, qid: str) -> None:
    # Step 1 of "Add a question": add it under the right page, after that page's last question.
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if re.fullmatch(rf"\s*- id: {re.escape(page_id)}\s*", line))
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and not _is_next_page(lines[end], indent):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1  # keep the blank line between pages after the new question
    question_indent = " " * (indent + 4)
    options = "".join(f"{question_indent}    - {{value: {v}, label: {label}}}\n" for v, label in OPTIONS)
    block = (
        f"{question_indent}- id: {qid}\n"
        f"{question_indent}  type: single\n"
        f"{question_indent}  text: In a usual month, on how many days do you take painkillers?\n"
        f"{question_indent}  short: Painkiller days\n"
        f"{question_indent}  options:\n"
        f"{options}"
    )
    lines.insert(end, block)
    path.write_text("".join(lines), encoding="utf-8")


def _is_next_page(line: str, indent: int) -> bool:
    stripped = line.lstrip()
    return bool(stripped) and len(line) - len(stripped) <= indent and not stripped.startswith("#")


def _add_rule(path: Path, qid: str, rid: str) -> None:
    # "Add a rule": a new id, a category, a weight, a condition, a plain reason and two examples.
    text = path.read_text(encoding="utf-8").rstrip("\n")
    text += (
        "\n\n"
        f"  - id: {rid}\n"
        "    category: migraine\n"
        "    weight: 2\n"
        f"    when: {{question: {qid}, one_of: [10_14, 15_plus]}}\n"
        f'    reason: "You said you take painkillers {{{qid}}} in a month."\n'
        "    provider_prompts:\n"
        "      - Ask if taking painkillers on many days could be making your headaches worse.\n"
        "    examples:\n"
        f"      - {{answers: {{{qid}: 15_plus}}, fires: true, present: [migraine]}}\n"
        f"      - {{answers: {{{qid}: 0_4}}, fires: false}}\n"
    )
    path.write_text(text, encoding="utf-8")


def _translate(rules: Path) -> None:
    # "Translations": refresh each listed language's catalogues, then fill in the new, empty entries.
    from babel.messages.pofile import read_po, write_po

    ruleset = load_ruleset(rules)
    for language in ruleset.languages:
        if language == "en":
            continue
        known = TRANSLATIONS[language]
        for path in update(ruleset, rules, language):
            with path.open("rb") as handle:
                catalog = read_po(handle)
            for message in catalog:
                if message.id and not message.string:
                    template = re.sub(r"\{[a-z0-9_]+\}", "{%s}", message.id)
                    found = known[template]
                    message.string = found % re.findall(r"\{([a-z0-9_]+)\}", message.id)[0] if "%s" in found else found
            with path.open("wb") as handle:
                write_po(handle, catalog, width=100, include_previous=True, sort_output=False)


def _raise_version(path: Path) -> None:
    # "Whenever you change any rule file, raise version in ruleset.yaml."
    text = path.read_text(encoding="utf-8")
    match = re.search(r'^version: "([^"]*?)(\d+)"', text, re.M)
    assert match, "no version in ruleset.yaml"
    raised = f'version: "{match.group(1)}{int(match.group(2)) + 1}"'
    path.write_text(text[: match.start()] + raised + text[match.end() :], encoding="utf-8")
