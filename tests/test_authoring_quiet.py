"""check is quiet when all is well: expected warnings acknowledged in the rule files, one long sentence caught."""

from __future__ import annotations

import re

import pytest

from questionnaire.cli import main

UNREAD = (
    "      - id: soon_flag\n",
    "      - id: spare_question\n        type: single\n        text: Is this spare?\n        short: Spare\n"
    "        options:\n          - {value: 'yes', label: 'Yes'}\n          - {value: 'no', label: 'No'}\n"
    "      - id: soon_flag\n",
)
ACK = """\
acknowledged:
  - code: unread-question
    id: spare_question
    reason: Kept for the clinician summary; no rule needs it.
"""


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, _ = capsys.readouterr()
    return code, out


def warnings(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": warning: " in line]


@pytest.fixture
def unread(mini_rules):
    mini_rules.replace("questions.yaml", *UNREAD)
    return mini_rules


def test_a_warning_shows_its_code_for_acknowledging(unread, capsys) -> None:
    _, out = run(capsys, "check", str(unread.dir))
    assert any("'spare_question'" in w and w.endswith("[unread-question]") for w in warnings(out))


def test_an_acknowledged_warning_is_counted_not_printed(unread, capsys) -> None:
    unread.write("acknowledged.yaml", ACK)
    _, out = run(capsys, "check", str(unread.dir))
    assert not any("spare_question" in w for w in warnings(out))
    assert re.search(r", 0 warnings \(1 acknowledged in .*acknowledged\.yaml\): ", out.splitlines()[-1])
    _, everything = run(capsys, "check", str(unread.dir), "--all")
    assert any("spare_question" in w for w in warnings(everything))


def test_errors_cannot_be_acknowledged(mini_rules, capsys) -> None:
    mini_rules.write(
        "acknowledged.yaml", ACK.replace("unread-question", "unreached-category").replace("spare_question", "sleep")
    )
    code, out = run(capsys, "check", str(mini_rules.dir))
    assert code == 1
    assert "error: no rule points to category 'sleep'" in out
    # and an entry that matches no warning says so, with its line
    assert re.search(
        r"acknowledged\.yaml:2:5: warning: the acknowledged warning unreached-category for 'sleep' no longer appears",
        out,
    )


def test_a_broken_acknowledgement_file_is_reported(unread, capsys) -> None:
    unread.write(
        "acknowledged.yaml", ACK.replace("    reason: Kept for the clinician summary; no rule needs it.\n", "")
    )
    code, out = run(capsys, "check", str(unread.dir))
    assert code == 1
    assert re.search(r"acknowledged\.yaml:2:5: error: add the key 'reason' to acknowledged/1", out)


LONG = (
    "Short words here. This one sentence goes on and on with many small plain words so that the average of "
    "the whole short paragraph still reads well while this sentence alone is far too long to follow."
)


def test_one_long_sentence_in_a_short_paragraph_is_caught_with_its_line(mini_rules, capsys) -> None:
    line = mini_rules.replace("questions.yaml", "text: How often have you felt low?", f"text: {LONG}")
    _, out = run(capsys, "check", str(mini_rules.dir))
    found = [w for w in warnings(out) if "sentence-length" in w]
    assert len(found) == 1, out
    assert re.match(
        rf".*questions\.yaml:{line}:\d+: warning: sentence 2 of the text of question 'mood_low' has 34 words, over the limit of 25",
        found[0],
    )
    _, relaxed = run(capsys, "check", str(mini_rules.dir), "--sentence-words", "40")
    assert not [w for w in warnings(relaxed) if "sentence-length" in w]
