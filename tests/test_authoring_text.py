"""check: reading grade of patient text, and links that point nowhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questionnaire.authoring import readability
from questionnaire.authoring.check import run_checks
from questionnaire.authoring.patienttext import paragraphs, readable_reason
from questionnaire.loader import DEFAULT_RULES_DIR

HARD = "How would you characterize the overall restorative quality of your nocturnal sleep?"  # grade 12.7
MIDDLING = "How would you describe the general quality of your sleep, especially recently?"  # grade 9.7
SHORT_BUT_HARD = "Considerable physiological dysregulation characterizes fibromyalgia."  # 5 words


def at(problems, name: str, line: int) -> list[tuple[str, str]]:
    """Return (severity, message) of every problem at one file:line."""
    return [(p.severity, p.message) for p in problems if Path(p.file).name == name and p.line == line]


def test_text_above_grade_10_is_an_error(rules_copy) -> None:
    line = rules_copy.replace("questions.yaml", "text: How well do you sleep?", f"text: {HARD}")
    assert at(run_checks(rules_copy.dir), "questions.yaml", line) == [
        (
            "error",
            "the text of question 'sleep_quality' reads at grade 12.7, above the limit of 10; "
            "use shorter sentences and everyday words (aim for 8)",
        )
    ]


def test_text_above_grade_8_is_a_warning(rules_copy) -> None:
    line = rules_copy.replace("questions.yaml", "text: How well do you sleep?", f"text: {MIDDLING}")
    assert at(run_checks(rules_copy.dir), "questions.yaml", line) == [
        (
            "warning",
            "the text of question 'sleep_quality' reads at grade 9.7, above the target of 8; "
            "use shorter sentences and everyday words",
        )
    ]


def test_texts_under_the_minimum_word_count_are_not_scored(rules_copy) -> None:
    line = rules_copy.replace("questions.yaml", "text: How well do you sleep?", f"text: {SHORT_BUT_HARD}")
    assert readability.MIN_WORDS > 5
    assert at(run_checks(rules_copy.dir), "questions.yaml", line) == []


def test_the_thresholds_live_in_one_place(rules_copy, monkeypatch) -> None:
    line = rules_copy.replace("questions.yaml", "text: How well do you sleep?", f"text: {HARD}")
    monkeypatch.setattr(readability, "GRADE_TARGET", 13)
    monkeypatch.setattr(readability, "GRADE_LIMIT", 14)
    assert at(run_checks(rules_copy.dir), "questions.yaml", line) == []


def test_education_is_scored_paragraph_by_paragraph_at_the_paragraph_line(rules_copy) -> None:
    hard = (
        "Many people find that their sleep improves considerably with a consistent routine, "
        "although individual variation is substantial."
    )
    rules_copy.replace(
        "categories.yaml",
        "Poor sleep and pain can feed each other. A bad night may make pain feel stronger the next day. "
        "More pain can then make it harder to sleep. Easing this loop, even a little, may help you feel better.",
        hard,
    )
    line = rules_copy.line_of("categories.yaml", "Many people find that their sleep")
    assert at(run_checks(rules_copy.dir), "categories.yaml", line) == [
        (
            "error",
            "paragraph 2 of the education of category 'sleep' reads at grade 16.7, above the limit of 10; "
            "use shorter sentences and everyday words (aim for 8)",
        )
    ]


def test_markdown_is_stripped_before_scoring() -> None:
    text = "**Call now.** Read [the long guide](https://example.org/a/very-long-address-indeed) here.\n\nNext one."
    assert [p.text for p in paragraphs(text)] == ["Call now. Read the long guide here.", "Next one."]
    assert [p.first_line for p in paragraphs(text)] == [0, 2]


def test_quoted_answers_count_as_one_short_word() -> None:
    assert readable_reason("You said you sleep {sleep_quality} and {wake_unrefreshed}.") == (
        "You said you sleep this and this."
    )


def test_rule_reasons_and_urgent_messages_are_scored(rules_copy) -> None:
    line = rules_copy.replace("rules.yaml", 'reason: "You said you sleep {sleep_quality}."', f'reason: "{HARD}"')
    assert at(run_checks(rules_copy.dir), "rules.yaml", line) == [
        (
            "error",
            "the reason of rule 'sleep-poor-quality' reads at grade 12.7, above the limit of 10; "
            "use shorter sentences and everyday words (aim for 8)",
        )
    ]
    # The first paragraph of the notice's message, whatever it says.
    first_paragraph = re.compile(
        r"(?<=  - id: new-neurological-symptoms\n)(?:.*\n)*?    message: \|\n((?:      .+\n)+)"
    )
    text = rules_copy.text("urgent.yaml")
    found = first_paragraph.search(text)
    assert found is not None
    line = rules_copy.replace("urgent.yaml", re.compile(re.escape(found.group(1))), f"      {HARD}\n")
    assert at(run_checks(rules_copy.dir), "urgent.yaml", line) == [
        (
            "error",
            "paragraph 1 of the message of urgent notice 'new-neurological-symptoms' reads at grade 12.7, above the "
            "limit of 10; use shorter sentences and everyday words (aim for 8)",
        )
    ]


LINKS = [
    ("", "error", "a link has no address; put the full https:// address between the brackets"),
    (
        "page.html",
        "error",
        "the link 'page.html' does not start with https://, so it points nowhere; write the full address",
    ),
    ("#top", "error", "the link '#top' does not start with https://, so it points nowhere; write the full address"),
    (
        "ftp://example.org/a",
        "error",
        "the link 'ftp://example.org/a' uses 'ftp:', which the app will not link; use https:// or mailto:",
    ),
    ("https://", "error", "the link 'https://' has no site name after https://"),
    ("mailto:", "error", "the mailto: link has no email address after it"),
    (
        "http://example.org",
        "warning",
        "the link 'http://example.org' is not secure; use https:// if the site offers it",
    ),
    ("javascript:alert(1)", "error", "the link 'javascript:alert(1)' runs a script; link to an https:// page instead"),
    (
        "https://example.org/a page",
        "error",
        "the link address 'https://example.org/a page' contains a space; remove it or write %20",
    ),
]


@pytest.mark.parametrize(("href", "severity", "message"), LINKS, ids=[h or "empty" for h, _, _ in LINKS])
def test_links_that_point_nowhere(rules_copy, href, severity, message) -> None:
    rules_copy.replace(
        "categories.yaml",
        "Both can be checked, and both can be treated.\n",
        f"Both can be checked, and both can be treated.\n\n      Read [more]({href}).\n",
    )
    line = rules_copy.line_of("categories.yaml", "Read [more](")
    assert at(run_checks(rules_copy.dir), "categories.yaml", line) == [
        (severity, f"{message} (in the education of category 'sleep')")
    ]


def test_a_good_link_in_an_urgent_message_is_fine(rules_copy) -> None:
    line = rules_copy.replace(
        "urgent.yaml",
        re.compile(r"(?<=    message: \|\n      ).+"),
        "See [the NHS page](https://www.nhs.uk/conditions/stroke/).",
    )
    assert at(run_checks(rules_copy.dir), "urgent.yaml", line) == []


def test_default_content_reads_at_grade_8_and_has_no_broken_links() -> None:
    problems = [p for p in run_checks(DEFAULT_RULES_DIR) if p.code in ("reading-grade", "broken-link")]
    assert problems == []
