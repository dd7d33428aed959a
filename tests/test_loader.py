"""Loading the rule set: the default content loads; each class of error names file, line and fix."""

from __future__ import annotations

import re

import pytest

from questionnaire.loader import load_ruleset
from questionnaire.model import CATEGORY_IDS
from questionnaire.problems import RuleSetError


def test_default_rules_load(ruleset) -> None:
    assert tuple(ruleset.categories) == CATEGORY_IDS
    assert ruleset.version and ruleset.last_reviewed
    assert {"sudden_severe_headache", "age_band", "treatments_tried"} <= set(ruleset.questions)
    tiers = {n.tier for n in ruleset.urgent}
    assert tiers <= {"emergency", "today", "soon"} and "emergency" in tiers


def test_every_category_has_two_sources_and_evidence(ruleset) -> None:
    for category in ruleset.categories.values():
        assert len(category.sources) >= 2, category.id
        assert all(s.url.startswith("https://") for s in category.sources)
        assert category.evidence in ("strong", "moderate", "limited-or-mixed")
        assert category.things_to_try and category.provider_prompts


# (file, old text, new text, expected message fragment, text whose line the error must point at)
BREAKAGES = [
    (
        "rules.yaml",
        "when: {question: sleep_quality, one_of: [poor, very_poor]}",
        "when: {question: sleep_qualty, one_of: [poor, very_poor]}",
        "unknown question 'sleep_qualty' (did you mean 'sleep_quality'?)",
        "sleep_qualty",
    ),
    (
        "rules.yaml",
        "when: {question: sleep_quality, one_of: [poor, very_poor]}",
        "when: {question: sleep_quality, one_of: [poor, terrible]}",
        "'terrible' is not an option of question 'sleep_quality'",
        "terrible",
    ),
    (
        "rules.yaml",
        "when: {question: caffeine, equals: 3_plus}",
        "when: {question: caffeine, includes_any: [3_plus]}",
        "'caffeine' takes one answer, so 'includes_any' does not fit; use equals or one_of",
        "includes_any: [3_plus]",
    ),
    (
        "rules.yaml",
        "- {question: autoimmune, includes_any: [thyroid]}",
        "- {question: autoimmune, equals: thyroid}",
        "'autoimmune' is multiple choice, so 'equals' does not fit",
        "equals: thyroid",
    ),
    (
        "rules.yaml",
        "  - id: sleep-unrefreshed\n",
        "  - id: sleep-poor-quality\n",
        "the id 'sleep-poor-quality' is already used at rules.yaml:",
        "id: sleep-poor-quality\n    category: sleep\n    weight: 3\n    when: {question: wake",
    ),
    (
        "rules.yaml",
        "category: genetics\n    weight: 3",
        "category: genetic\n    weight: 3",
        "unknown category 'genetic' (did you mean 'genetics'?)",
        "category: genetic\n",
    ),
    ("rules.yaml", "weight: 4", "weight: high", "should be a whole number", "weight: high"),
    ("rules.yaml", "weight: 4", "weight: 40", "40 at rules/", "weight: 40"),
    (
        "rules.yaml",
        'reason: "You said you sleep {sleep_quality}."',
        'reason: "You said you sleep {stress_level}."',
        "the reason quotes {stress_level}, but the condition does not read that question",
        "{stress_level}",
    ),
    (
        "rules.yaml",
        '    reason: "You said you sleep {sleep_quality}."\n',
        '    reason: "You said you sleep {sleep_quality}."\n    colour: blue\n',
        "'colour' is not a key here; allowed keys are: category, examples, id, provider_prompts, reason, weight, when",
        "colour: blue",
    ),
    (
        "rules.yaml",
        "    weight: 2\n    when: {question: sleep_schedule, equals: irregular}\n",
        "    when: {question: sleep_schedule, equals: irregular}\n",
        "add the key 'weight' to rules/3",
        "id: sleep-irregular-schedule",
    ),
    (
        "rules.yaml",
        "- {answers: {sleep_quality: very_poor}, fires: true, present: [sleep]}",
        "- {answers: {sleep_quality: awful}, fires: true, present: [sleep]}",
        "example answers: 'awful' is not an option",
        "sleep_quality: awful",
    ),
    (
        "rules.yaml",
        "- {answers: {sleep_quality: very_poor}, fires: true, present: [sleep]}",
        "- {answers: {sleep_quality: very_poor}, fires: true, present: [sleeep]}",
        "example names unknown category 'sleeep' (did you mean 'sleep'?)",
        "{answers: {sleep_quality: very_poor}",
    ),
    (
        "questions.yaml",
        "      - id: wake_unrefreshed\n",
        "      - id: sleep_quality\n",
        "the question id 'sleep_quality' is already used at line",
        "id: sleep_quality\n        type: single\n        text: How often",
    ),
    (
        "questions.yaml",
        "{value: good, label: Well}",
        "{value: poor, label: Well}",
        "the option value 'poor' appears twice in question 'sleep_quality'",
        "{value: poor, label: Poorly}",
    ),
    (
        "questions.yaml",
        "type: single\n        text: How old are you?",
        "type: singel\n        text: How old are you?",
        "'singel' is not allowed at pages/1/questions/1/type; use one of: single, multiple",
        "type: singel",
    ),
    (
        "questions.yaml",
        "  - id: sleep\n    title: Sleep\n",
        "  - id: sleep\n    title: Sleep\n    show_if: {question: stress_level, equals: high}\n",
        "show_if reads 'stress_level', which is on the same page or a later one (page 'stress')",
        "show_if: {question: stress_level",
    ),
    (
        "questions.yaml",
        "  - id: stress\n    title: Stress\n",
        "  - id: sleep\n    title: Stress\n",
        "the page id 'sleep' is used twice",
        "id: sleep\n    title: Stress",
    ),
    (
        "categories.yaml",
        "  - id: genetics\n",
        "  - id: genes\n",
        "'genes' is not one of the fixed category ids",
        "id: genes",
    ),
    (
        "categories.yaml",
        "evidence: strong",
        "evidence: very strong",
        "'very strong' is not allowed at categories/",
        "evidence: very strong",
    ),
    (
        "urgent.yaml",
        re.compile(r"^    tier: emergency$", re.MULTILINE),
        "    tier: later",
        "'later' is not allowed at urgent/1/tier; use one of: emergency, today, soon",
        "tier: later",
    ),
    (
        "urgent.yaml",
        'when: {question: head_injury, equals: "yes"}',
        'when: {question: head_injury, equals: "maybe"}',
        "'maybe' is not an option of question 'head_injury'",
        '"maybe"',
    ),
    (
        "urgent.yaml",
        "  - id: fever-and-stiff-neck\n",
        "  - id: thunderclap-headache\n",
        "the id 'thunderclap-headache' is already used at urgent.yaml:",
        "id: thunderclap-headache\n    tier: emergency\n    title: A headache with",
    ),
    (
        "urgent.yaml",
        "  - id: fever-and-stiff-neck\n",
        "  - id: stress-high\n",
        "the id 'stress-high' is already used at rules.yaml:",
        "id: stress-high",
    ),
    (
        "ruleset.yaml",
        re.compile(r'last_reviewed: "[0-9-]+"'),
        "last_reviewed: 22/11/2026",
        "'22/11/2026' is not a valid value at last_reviewed; write the date as YYYY-MM-DD",
        "22/11/2026",
    ),
    (
        "ruleset.yaml",
        re.compile(r'version: "[^"]+"\n'),
        'version: "1"\nversion: "2"\n',
        "the key 'version' appears twice",
        'version: "2"',
    ),
    (
        "ruleset.yaml",
        "name: Fibromyalgia trigger check",
        'name: !!python/object/apply:os.system ["echo hi"]',
        "is not allowed",
        "name: !!python",
    ),
    (
        "rules.yaml",
        "when: {question: caffeine, equals: 3_plus}",
        "when: {question: caffeine, equals: 3_plus, answered: true}",
        "needs exactly one operator",
        "answered: true",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "fragment", "needle"), BREAKAGES, ids=[b[3][:50] for b in BREAKAGES])
def test_each_error_names_file_line_and_fix(rules_copy, file, old, new, fragment, needle) -> None:
    rules_copy.replace(file, old, new)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(rules_copy.dir)
    expected_line = rules_copy.line_of(file, needle)
    matching = [p for p in info.value.problems if fragment in p.message or fragment in str(p)]
    assert matching, info.value.report()
    problem = matching[0]
    assert problem.file.endswith(f"rules/{file}")
    assert problem.line == expected_line, info.value.report()
    assert str(problem).startswith(f"{problem.file}:{expected_line}:")


def test_a_missing_file_is_named(rules_copy) -> None:
    rules_copy.path("urgent.yaml").unlink()
    with pytest.raises(RuleSetError) as info:
        load_ruleset(rules_copy.dir)
    assert "the file urgent.yaml is missing from the rules folder" in info.value.report()


def test_a_missing_category_is_named(rules_copy) -> None:
    text = rules_copy.text("categories.yaml")
    start = text.index("  - id: migraine")
    rules_copy.write("categories.yaml", text[:start])
    rules_copy.replace("rules.yaml", "category: migraine", "category: sleep")
    text = rules_copy.text("rules.yaml").replace("category: migraine", "category: sleep")
    rules_copy.write("rules.yaml", text)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(rules_copy.dir)
    assert "add the categories migraine" in info.value.report()


def test_every_problem_is_reported_at_once(rules_copy) -> None:
    rules_copy.replace("rules.yaml", "equals: 3_plus", "equals: lots")
    rules_copy.replace("rules.yaml", "category: genetics", "category: genez")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(rules_copy.dir)
    report = info.value.report()
    assert "'lots' is not an option" in report and "unknown category 'genez'" in report
    assert report.rstrip().endswith("The rule set was not loaded: 2 problems to fix.")


def test_syntax_error_points_at_its_line(rules_copy) -> None:
    line = rules_copy.replace(
        "rules.yaml",
        "    weight: 2\n    when: {question: stress_flares",
        "    weight: 2\n    when: {question: stress_flares,,",
    )
    with pytest.raises(RuleSetError) as info:
        load_ruleset(rules_copy.dir)
    problem = info.value.problems[0]
    assert "this is not valid YAML" in problem.message
    assert problem.line == line + 1


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("      - id: mood_low\n", '      - id: "mood_low\\n"\n'),  # a question id
        ("{value: some, label: Some days}", '{value: "some\\n", label: Some days}'),  # an option value
    ],
)
def test_a_trailing_newline_in_an_id_or_value_is_refused_with_file_and_line(mini_rules, old, new) -> None:
    line = mini_rules.replace("questions.yaml", old, new)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(mini_rules.dir)
    located = [p for p in info.value.problems if p.file.endswith("questions.yaml") and p.line == line]
    assert located, info.value.report()
    assert "is not a valid value" in located[0].message
