"""Each YAML mistake an editor makes by hand gets a plain message, the fix, its line and the line underlined."""

from __future__ import annotations

import pytest

from questionnaire.loader import load_ruleset
from questionnaire.problems import RuleSetError

# (name, old text in the mini questions.yaml, new text, expected message fragment, text on the reported line)
MISTAKES = [
    (
        "tab",
        "    title: Mood\n",
        "\ttitle: Mood\n",
        "this line is indented with a tab; YAML needs spaces. Replace the tab with spaces",
        "\ttitle: Mood",
    ),
    (
        "unquoted colon",
        "{value: nearly_every_day, label: Nearly every day, score: 3}\n      - id: mood_interest",
        "{value: nearly_every_day, label: Nearly every day, score: 3}\n"
        "          - value: often\n            label: Yes, often: daily\n      - id: mood_interest",
        "the text after 'label:' has a colon and a space in it, which YAML reads as the start of another key; "
        'put the whole text in quotes: label: "Yes, often: daily"',
        "label: Yes, often: daily",
    ),
    (
        "unquoted colon inside {...}",
        "{value: several_days, label: Several days, score: 1, phrase: on several days}",
        "{value: several_days, label: Yes, often: daily, score: 1}",
        "'often' is read as a key because the text after 'label:' has a colon and a space in it; "
        'put the whole text in quotes: label: "Yes, often: daily"',
        "label: Yes, often: daily, score: 1}",
    ),
    (
        "key indented too far",
        "        type: single\n        text: How often have you felt low?",
        "        type: single\n         text: How often have you felt low?",
        "this line starts in column 10, which does not line up with the lines around it",
        "         text: How often have you felt low?",
    ),
    (
        "list item out of line",
        "      - id: mood_interest\n",
        "     - id: mood_interest\n",
        "the '- ' on line",
        "     - id: mood_interest",
    ),
    (
        "unclosed bracket",
        "{value: not_at_all, label: Not at all, score: 0}\n",
        "{value: not_at_all, label: Not at all, score: 0\n",
        "the '{' opened here is never closed; add '}' where it ends, usually at the end of this line",
        "{value: not_at_all, label: Not at all, score: 0\n",
    ),
    (
        "wrong closing bracket",
        "{value: nearly_every_day, label: Nearly every day, score: 3}\n      - id: mood_interest",
        "{value: nearly_every_day, label: Nearly every day, score: 3]\n      - id: mood_interest",
        "is closed with ']' here; close it with '}'",
        "score: 3]",
    ),
    (
        "unclosed quote",
        "text: Do you have the red flag now?",
        'text: "Do you have the red flag now?',
        'the text that starts with " here is never closed, so the lines after it are read as part of the text; '
        'add the closing " at the end of the text on this line',
        '"Do you have the red flag now?',
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "fragment", "needle"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_yaml_mistake_has_a_plain_message_and_its_line(mini_rules, name, old, new, fragment, needle) -> None:
    mini_rules.replace("questions.yaml", old, new)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(mini_rules.dir)
    matching = [p for p in info.value.problems if fragment in p.message]
    assert matching, info.value.report()
    problem = matching[0]
    assert problem.line == mini_rules.line_of("questions.yaml", needle), info.value.report()
    # The offending line is shown under the message, with the spot underlined.
    line_text = mini_rules.text("questions.yaml").splitlines()[problem.line - 1].replace("\t", "→")
    gutter, shown, underline = f" {problem.line} | ", *problem.excerpt.splitlines()
    assert shown == gutter + line_text
    assert underline.index("^") == len(gutter) + problem.column - 1
    assert problem.shown() in info.value.report()


def test_the_parser_words_are_kept_for_other_mistakes(mini_rules) -> None:
    mini_rules.replace("questions.yaml", "    title: Mood\n", "    title: Mood\n    intro: ? x\n")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(mini_rules.dir)
    problem = info.value.problems[0]
    assert "this is not valid YAML: mapping keys are not allowed" in problem.message
    assert problem.excerpt  # still shown in place


def test_a_same_page_show_if_names_the_pages_to_use_instead(mini_rules) -> None:
    mini_rules.replace(
        "questions.yaml",
        "      - id: mood_interest\n",
        "      - id: mood_interest\n        show_if: {question: mood_low, equals: several_days}\n",
    )
    with pytest.raises(RuleSetError) as info:
        load_ruleset(mini_rules.dir)
    assert (
        "show_if reads 'mood_low', which is on the same page or a later one (page 'mood'); a page or question can "
        "only depend on answers from earlier pages; move this question to a later page ('signs', 'habits'), "
        "or read a question from an earlier page"
    ) in info.value.report()


def test_a_page_show_if_reading_itself_says_to_move_the_page(mini_rules) -> None:
    mini_rules.replace(
        "questions.yaml", "    title: Mood\n", "    title: Mood\n    show_if: {question: red_flag, equals: 'no'}\n"
    )
    with pytest.raises(RuleSetError) as info:
        load_ruleset(mini_rules.dir)
    assert "move this page after page 'signs', or read a question from an earlier page" in info.value.report()


def test_schema_positions_count_from_1(mini_rules) -> None:
    mini_rules.replace("rules.yaml", "    weight: 2\n", "")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(mini_rules.dir)
    assert "add the key 'weight' to rules/2" in info.value.report()  # the second rule
