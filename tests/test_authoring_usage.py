"""check: questions and options nothing reads, unreachable categories and incomplete categories."""

from __future__ import annotations

import re
from pathlib import Path

from questionnaire.authoring.check import run_checks
from questionnaire.loader import DEFAULT_RULES_DIR


def at(problems, name: str, line: int) -> list[tuple[str, str]]:
    """Return (severity, message) of every problem at one file:line, but the texts it leaves to translate.

    A new question's texts are also missing from each translation (tests/test_translations.py checks
    those); here only what check says about the question's use counts.
    """
    return [
        (p.severity, p.message)
        for p in problems
        if Path(p.file).name == name and p.line == line and not p.code.startswith("translation-")
    ]


def line_after(rules_copy, name: str, anchor: str, needle: str) -> int:
    """Return the line of the first needle after anchor."""
    text = rules_copy.text(name)
    return text.count("\n", 0, text.index(needle, text.index(anchor))) + 1


NEW_QUESTION = """      - id: pets_at_home
        type: single
        text: Do you have pets at home?
        short: Pets
        options:
          - {value: "yes", label: "Yes"}
          - {value: "no", label: "No"}
"""


def test_a_question_nothing_reads_is_a_warning(rules_copy) -> None:
    line = rules_copy.replace("questions.yaml", re.compile(r"(?<=\n    questions:\n)"), NEW_QUESTION)
    assert at(run_checks(rules_copy.dir), "questions.yaml", line) == [
        (
            "warning",
            "no rule, urgent notice, section, ending, score or show_if reads question 'pets_at_home', so its "
            "answer changes nothing; use it in a condition or check that it is still needed",
        )
    ]


def test_an_option_nothing_reads_is_a_warning_at_the_option(rules_copy) -> None:
    # A new option on a multiple choice question, before its "None of these".
    text = rules_copy.text("questions.yaml")
    none = text.index("          - {value: none,", text.index("      - id: sensitivities\n"))
    rules_copy.write("questions.yaml", text[:none] + "          - {value: heat, label: Heat}\n" + text[none:])
    line = text.count("\n", 0, none) + 1
    assert at(run_checks(rules_copy.dir), "questions.yaml", line) == [
        (
            "warning",
            "no rule, urgent notice or show_if reads option 'heat' of question 'sensitivities', "
            "so choosing it changes no result",
        )
    ]


def test_unsure_exclusive_and_single_choice_options_are_not_flagged() -> None:
    problems = [p for p in run_checks(DEFAULT_RULES_DIR) if p.code == "unread-option"]
    # treatments_tried 'none' (exclusive), family_history 'unsure' (unsure) and single choice
    # "otherwise" answers such as sleep_quality 'good' are read by no rule, and stay quiet;
    # every other option of the default content is read by some rule.
    assert [p.message for p in problems] == []


def test_a_category_no_rule_points_to_is_an_error(rules_copy) -> None:
    rules_copy.replace("rules.yaml", "category: inflammation", "category: immune")
    line = rules_copy.line_of("categories.yaml", "id: inflammation")
    assert at(run_checks(rules_copy.dir), "categories.yaml", line) == [
        (
            "error",
            "no rule points to category 'inflammation', so it is never shown as a match; "
            "add a rule with category: inflammation to rules.yaml",
        )
    ]


def test_a_category_whose_rules_can_never_fire_is_an_error(rules_copy) -> None:
    rules_copy.replace(
        "rules.yaml",
        "when: {question: inflammation_markers, equals: elevated}",
        "when: {all: [{question: inflammation_markers, equals: elevated}, {question: inflammation_markers, equals: normal}]}",
    )
    line = rules_copy.line_of("categories.yaml", "id: inflammation")
    assert at(run_checks(rules_copy.dir), "categories.yaml", line) == [
        (
            "error",
            "category 'inflammation' is never shown as a match: none of its rules can fire ('inflammation-raised-markers')",
        )
    ]


def test_a_missing_evidence_level_is_said_once_in_plain_words(rules_copy) -> None:
    rules_copy.replace("categories.yaml", "    evidence: moderate\n", "")
    line = rules_copy.line_of("categories.yaml", "id: sleep")
    problems = run_checks(rules_copy.dir)
    # The schema's "add the key 'evidence' to categories/0" is replaced, not repeated.
    assert at(problems, "categories.yaml", line) == [
        ("error", "category 'sleep' needs an evidence level; add evidence: strong, moderate or limited-or-mixed")
    ]


def test_a_category_with_one_source_is_an_error_at_its_sources(rules_copy) -> None:
    rules_copy.replace(
        "categories.yaml",
        '      - name: "MedlinePlus Genetics: Fibromyalgia"\n        url: https://medlineplus.gov/genetics/condition/fibromyalgia/\n',
        "",
    )
    line = line_after(rules_copy, "categories.yaml", "id: genetics", "- name:")
    assert at(run_checks(rules_copy.dir), "categories.yaml", line) == [
        (
            "error",
            "category 'genetics' has only one source; give at least two reputable sources, each with a name and an https:// url",
        )
    ]


def test_the_same_source_twice_does_not_count_as_two(rules_copy) -> None:
    rules_copy.replace(
        "categories.yaml",
        "        url: https://medlineplus.gov/genetics/condition/fibromyalgia/\n",
        "        url: https://www.niams.nih.gov/health-topics/fibromyalgia\n",
    )
    line = line_after(rules_copy, "categories.yaml", "id: genetics", "- name:")
    assert at(run_checks(rules_copy.dir), "categories.yaml", line) == [
        ("error", "category 'genetics' lists the same source twice; give at least two different sources")
    ]


def test_empty_things_to_try_and_prompts_are_errors(rules_copy) -> None:
    rules_copy.replace(
        "categories.yaml",
        "    provider_prompts:\n      - Ask what your test results mean, and if anything else should be checked.\n"
        "      - If a test such as CRP is high, ask what other causes should be looked at.\n"
        "      - Tell your provider about any swollen joints. They may point to a different problem.\n",
        "    provider_prompts: []\n",
    )
    line = rules_copy.line_of("categories.yaml", "provider_prompts: []")
    assert at(run_checks(rules_copy.dir), "categories.yaml", line) == [
        ("error", "category 'inflammation' has no provider prompts; add at least one")
    ]


def test_a_blank_summary_is_an_error(rules_copy) -> None:
    # The summary of the stress category, whatever it says (a folded block or one line).
    text = rules_copy.text("categories.yaml")
    start = text.index("    summary:", text.index("  - id: stress\n"))
    end = text.index("\n", start) + 1
    while text.startswith("      ", end):  # the lines a folded summary continues on
        end = text.index("\n", end) + 1
    rules_copy.write("categories.yaml", text[:start] + '    summary: " "\n' + text[end:])
    line = rules_copy.line_of("categories.yaml", 'summary: " "')
    assert at(run_checks(rules_copy.dir), "categories.yaml", line) == [
        ("error", "the summary of category 'stress' is empty; write it out")
    ]
