"""diff shows the change itself and its effect on answers; explain --only-fired with labels (issue 13).

Built on the scripted painkiller-days change (tests/contentchange.py) to a copy of rules/, so no ordinary
content edit breaks these tests.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from questionnaire.cli import main
from questionnaire.loader import DEFAULT_RULES_DIR, load_ruleset
from tests.contentchange import add_painkiller_days


@pytest.fixture
def change(tmp_path: Path):
    new = tmp_path / "new"
    shutil.copytree(DEFAULT_RULES_DIR, new)
    ids = add_painkiller_days(new)
    return new, ids, load_ruleset(new)


def run(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_diff_lists_what_the_editor_added(change, capsys) -> None:
    new, ids, _ = change
    out = run(capsys, "diff", str(DEFAULT_RULES_DIR), str(new))
    edits = out.split("What changed in the rules:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert any(
        line.startswith(f"  new question '{ids['question']}': ") and f"(page '{ids['page']}')" in line for line in edits
    )
    assert any(line.startswith(f"  new rule '{ids['rule']}': topic migraine, weight 2") for line in edits)
    assert not any("the version is still" in line for line in edits)


def test_examples_of_the_new_rule_are_compared_on_the_answers_both_accept(change, capsys) -> None:
    new, ids, rules = change
    question = rules.questions[ids["question"]]
    out = run(capsys, "diff", str(DEFAULT_RULES_DIR), str(new))
    block = out.split(f": {ids['rule']}[1]\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block[:2] == ["  answers:", f"    {question.short} ({question.id}): 15 days or more (15_plus)"]
    assert block[2].startswith(
        f"  left out: {question.short} ({question.id}): 15 days or more (15_plus): the old rules do not accept it"
    )
    # each option of the new question, by its label, with what it does
    tried = [line for line in block if line.startswith(f"  new question '{question.short}', if answered ")]
    assert [re.search(r"if answered '(.+?)'", line).group(1) for line in tried] == [o.label for o in question.options]
    migraine = rules.categories["migraine"].title
    assert tried[0].endswith(": no change")
    assert f"topic '{migraine}' now shown" in tried[-1] and f"new rule '{ids['rule']}' fires" in tried[-1]


def test_an_answers_file_prints_one_line_per_answer_and_tries_the_new_question(change, tmp_path, capsys) -> None:
    new, ids, rules = change
    mine = tmp_path / "mine.yaml"
    # the last option of the first question: the first may end the questionnaire early (under 18)
    qid, value = next((q.id, q.options[-1].value) for q in rules.pages[0].questions)
    mine.write_text(f"{qid}: {value}\n")
    out = run(capsys, "diff", str(DEFAULT_RULES_DIR), str(new), str(mine))
    block = out.split(f"\n{mine}\n", 1)[1].split("\n\n", 1)[0].splitlines()
    option = rules.questions[qid].options[-1]
    assert block[:2] == ["  answers:", f"    {rules.questions[qid].short} ({qid}): {option.label} ({value})"]
    assert sum(1 for line in block if "new question" in line) == len(rules.questions[ids["question"]].options)


def test_explain_only_fired_shows_labels_beside_codes(change, tmp_path, capsys) -> None:
    new, ids, rules = change
    answers = tmp_path / "a.yaml"
    answers.write_text(f"{ids['question']}: 15_plus\n")
    out = run(capsys, "explain", str(answers), "--rules", str(new), "--only-fired")
    items = [line for line in out.splitlines() if re.match(r"^  (FIRES |silent)  ", line)]
    assert items and all(line.startswith("  FIRES ") for line in items)
    assert any(f"rule {ids['rule']} " in line for line in items)
    assert '(answer: 15_plus "15 days or more")' in out
    assert re.search(r"^\d+ urgent notices and rules that stay silent are not shown", out, re.M)
    assert f"{rules.categories['migraine'].title} [migraine] (" in out
