"""The authoring commands as an author runs them: check, test, coverage, explain and diff."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from questionnaire.answerfile import sample
from questionnaire.cli import main
from questionnaire.conditions import All, Leaf
from questionnaire.engine import assess

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def at_project_root(monkeypatch) -> None:
    # File names print relative to the working folder, as compilers do; pin it so the expected text is stable.
    monkeypatch.chdir(ROOT)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- check ---------------------------------------------------------------------------------------


def test_check_passes_the_default_content_from_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "questionnaire", "check", "rules"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert re.fullmatch(
        r"0 errors, \d+ warnings?( \(\d+ acknowledged in rules/acknowledged\.yaml\))?: the rule set is ready", lines[-1]
    )
    # Warnings print compiler style, with paths relative to the working folder (rule files and catalogues),
    # then one line per translation saying how complete and readable it is.
    warning = re.compile(r"rules/(locales/[\w-]+/\w+\.po|\w+\.yaml):\d+:\d+: warning: ")
    language = re.compile(
        r"\S+ \([\w-]+\): (\d+) of \1 texts translated, 0 missing, 0 out of date; .*; offered to patients"
    )
    assert all(warning.match(line) or language.match(line) for line in lines[:-1]), lines
    assert any(language.match(line) for line in lines[:-1])


def test_check_prints_errors_compiler_style_and_exits_1(rules_copy, capsys) -> None:
    line = rules_copy.replace("rules.yaml", "equals: 3_plus", "equals: lots")
    code, out, _ = run(capsys, "check", str(rules_copy.dir))
    assert code == 1
    assert (
        f"{rules_copy.dir}/rules.yaml:{line}:40: error: 'lots' is not an option of question 'caffeine'; "
        "its options are: none, 1_2, 3_plus"
    ) in out.splitlines()
    assert out.splitlines()[-1].startswith("1 error, ")
    assert out.splitlines()[-1].endswith(": fix the errors before publishing")


def test_check_still_checks_text_when_the_loader_refuses_the_rule_set(rules_copy, capsys) -> None:
    rules_copy.replace("rules.yaml", "equals: 3_plus", "equals: lots")
    text_line = rules_copy.replace(
        "questions.yaml",
        "text: How well do you sleep?",
        "text: How would you characterize the overall restorative quality of your nocturnal sleep?",
    )
    code, out, _ = run(capsys, "check", str(rules_copy.dir))
    assert code == 1
    assert f"questions.yaml:{text_line}:15: error: the text of question 'sleep_quality' reads at grade 12.7" in out


def test_check_json_lists_problems_as_data(rules_copy, capsys) -> None:
    rules_copy.replace("rules.yaml", "category: inflammation", "category: immune")
    code, out, _ = run(capsys, "check", str(rules_copy.dir), "--format", "json")
    assert code == 1
    problems = json.loads(out)
    assert {"file", "line", "column", "severity", "code", "message"} == set(problems[0])
    unreached = [p for p in problems if p["code"] == "unreached-category"]
    assert len(unreached) == 1
    assert unreached[0]["file"].endswith("categories.yaml")
    assert unreached[0]["line"] == rules_copy.line_of("categories.yaml", "id: inflammation")


def test_check_json_on_good_content_exits_0_with_warnings_only(capsys) -> None:
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 0
    assert {p["severity"] for p in json.loads(out)} <= {"warning"}


def test_check_a_missing_folder(tmp_path, capsys) -> None:
    code, out, _ = run(capsys, "check", str(tmp_path / "nope"))
    assert code == 1
    assert "error: this rules folder does not exist" in out


# --- test ----------------------------------------------------------------------------------------


def test_test_runs_every_example_of_the_default_content(capsys, ruleset) -> None:
    code, out, _ = run(capsys, "test")
    carriers = [*ruleset.rules, *ruleset.urgent, *ruleset.sections, *ruleset.endings]
    count = sum(len(item.examples) for item in carriers)
    assert code == 0
    assert out.strip().splitlines() == [f"{count} passed, 0 failed"]


def test_test_prints_each_failure_with_its_file_and_line(rules_copy, capsys) -> None:
    old = "- {answers: {sleep_quality: very_poor}, fires: true, present: [sleep]}"
    line = rules_copy.replace(
        "rules.yaml", old, "- {answers: {sleep_quality: very_poor}, fires: false, absent: [sleep]}"
    )
    code, out, _ = run(capsys, "test", str(rules_copy.dir))
    assert code == 1
    lines = out.strip().splitlines()
    where = f"{rules_copy.dir}/rules.yaml:{line}:9"
    assert lines[:-1] == [
        f"{where}: error: sleep-poor-quality[1]: expected rule 'sleep-poor-quality' to stay silent, but it fired",
        f"{where}: error: sleep-poor-quality[1]: expected category 'sleep' not to be in the results, but it is there",
    ]
    assert re.fullmatch(r"\d+ passed, 1 failed", lines[-1])


def test_test_notes_answers_ignored_because_hidden(rules_copy, capsys) -> None:
    line = rules_copy.replace(
        "urgent.yaml",
        '- {answers: {headaches: weekly, head_injury: "yes"}, fires: true, urgent: today}',
        '- {answers: {headaches: never, head_injury: "yes"}, fires: true, urgent: today}',
    )
    code, out, _ = run(capsys, "test", str(rules_copy.dir))
    assert code == 1
    where = f"{rules_copy.dir}/urgent.yaml:{line}:9"
    assert out.strip().splitlines()[:-1] == [
        f"{where}: error: headache-after-head-injury[1]: expected urgent notice 'headache-after-head-injury' to "
        "fire, but it stayed silent",
        f"{where}: error: headache-after-head-injury[1]: expected urgent tier 'today', but got 'none'",
        f"{where}: note: these answers were ignored because their question is hidden: head_injury",
    ]


def test_test_on_a_broken_rule_set_exits_1_with_the_loader_problems(rules_copy, capsys) -> None:
    rules_copy.replace("rules.yaml", "equals: 3_plus", "equals: lots")
    code, out, err = run(capsys, "test", str(rules_copy.dir))
    assert code == 1
    assert out == ""
    assert "'lots' is not an option of question 'caffeine'" in err


# --- coverage ------------------------------------------------------------------------------------


def test_coverage_of_the_default_content_is_complete_for_rules(capsys) -> None:
    code, out, _ = run(capsys, "coverage")
    assert code == 0
    assert re.search(r"^  \d+ questions have options no example chooses \(coverage -v lists them\)$", out, re.M)
    code, out, _ = run(capsys, "coverage", "-v")
    lines = out.splitlines()
    assert re.fullmatch(
        r"Rules, urgent notices, endings and sections that fire in one example and stay silent in another: (\d+) of \1 \(100\.0%\)",
        lines[0],
    )
    assert lines[-1] == "Rule coverage 100.0% meets the minimum of 100%"
    # Options no example chooses are listed per question, with the question's file:line.
    assert any(re.fullmatch(r"  rules/questions\.yaml:\d+:\d+: [a-z_]+: no example chooses .+", x) for x in lines)


def test_coverage_fails_under_the_minimum_and_names_the_rule(rules_copy, capsys) -> None:
    rules_copy.replace("rules.yaml", "      - {answers: {sleep_quality: fair}, fires: false, absent: [sleep]}\n", "")
    rule_line = rules_copy.line_of("rules.yaml", "- id: sleep-poor-quality")
    code, out, _ = run(capsys, "coverage", str(rules_copy.dir))
    assert code == 1
    assert (
        f"  {rules_copy.dir}/rules.yaml:{rule_line}:5: rule 'sleep-poor-quality' stays silent in no example that "
        "answers its questions; add one where it stays silent"
    ) in out.splitlines()
    assert re.search(r"^Rule coverage 9\d\.\d% is under the minimum of 100%$", out, re.M)
    code, _, _ = run(capsys, "coverage", str(rules_copy.dir), "--min", "90")
    assert code == 0


def test_coverage_counts_a_rule_that_fires_in_no_example(rules_copy, capsys) -> None:
    rules_copy.replace(
        "rules.yaml",
        "      - {answers: {caffeine: 3_plus}, fires: true, present: [lifestyle]}\n",
        "",
    )
    rule_line = rules_copy.line_of("rules.yaml", "- id: lifestyle-caffeine")
    code, out, _ = run(capsys, "coverage", str(rules_copy.dir))
    assert code == 1
    assert (
        f"  {rules_copy.dir}/rules.yaml:{rule_line}:5: rule 'lifestyle-caffeine' fires in no example; "
        "add one where it fires"
    ) in out.splitlines()


# --- explain -------------------------------------------------------------------------------------

ANSWERS = """\
age_band: 60_plus
headaches: never
headache_triggers: [stress]
sleep_quality: poor
caffeine: 1_2
"""


def label(ruleset, qid: str, value: str) -> str:
    return f'{value} "{next(o.label for o in ruleset.questions[qid].options if o.value == value)}"'


def by_label(ruleset, qid: str, value: str) -> str:
    return f"{next(o.label for o in ruleset.questions[qid].options if o.value == value)} ({value})"


def test_explain_traces_every_rule_with_answers_and_verdicts(tmp_path, capsys, ruleset) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS)
    code, out, _ = run(capsys, "explain", str(path))
    assert code == 0
    lines = out.splitlines()
    assert "Ignored because their question is hidden for these answers: headache_triggers" in lines
    assert f"Categories, by score: {ruleset.categories['sleep'].title} [sleep] (3)" in lines
    text = (ROOT / "rules" / "rules.yaml").read_text()
    line = text.count("\n", 0, text.index("- id: sleep-poor-quality")) + 1
    start = lines.index(f"  FIRES   rule sleep-poor-quality -> sleep (weight 3)  [rules/rules.yaml:{line}]")
    assert lines[start + 1 : start + 3] == [
        f"    true   sleep_quality is one of poor, very_poor  (answer: {label(ruleset, 'sleep_quality', 'poor')})",
        "    reason shown: You said you sleep poorly.",
    ]
    start = lines.index(next(x for x in lines if "rule stress-headache-trigger" in x))
    assert lines[start].startswith("  silent  ")
    assert lines[start + 1] == (
        f"    false  headache_triggers includes any of stress  (answer: {label(ruleset, 'headache_triggers', 'stress')}, "
        "ignored because the question is hidden)"
    )
    start = lines.index(next(x for x in lines if "rule lifestyle-caffeine" in x))
    assert lines[start + 1] == f"    false  caffeine equals 3_plus  (answer: {label(ruleset, 'caffeine', '1_2')})"


def test_explain_shows_nested_conditions(tmp_path, capsys, ruleset) -> None:
    # Any rule made of "all of" two single-choice tests: answer the first to hold and the second not to.
    rule = next(
        r
        for r in ruleset.rules
        if isinstance(r.when, All)
        and len(r.when.parts) == 2
        and all(isinstance(p, Leaf) and p.operator in ("equals", "one_of") for p in r.when.parts)
    )
    first, second = rule.when.parts
    held = first.ordered[0]
    missed = next(o.value for o in ruleset.questions[second.question].options if o.value not in second.values)
    answers = {**sample("weekly-headaches"), first.question: held, second.question: missed}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    code, out, _ = run(capsys, "explain", str(path))
    assert code == 0
    lines = out.splitlines()
    start = lines.index(next(x for x in lines if f"rule {rule.id} " in x))
    assert lines[start + 1 : start + 4] == [
        "    false  all of",
        f"      true   {first.describe()}  (answer: {label(ruleset, first.question, held)})",
        f"      false  {second.describe()}  (answer: {label(ruleset, second.question, missed)})",
    ]


def test_explain_agrees_with_the_engine_on_every_rule(tmp_path, capsys, ruleset, make_answers) -> None:
    raw = {"headaches": "daily", "head_injury": "yes", "conditions": ["ibs", "tmj"], "stress_level": "high"}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(raw))
    code, out, _ = run(capsys, "explain", str(path), "--rules", str(ruleset.source_dir))
    assert code == 0
    fired = assess(ruleset, make_answers(**raw)).fired
    shown = {
        m.group(2): m.group(1).strip() == "FIRES"
        for m in re.finditer(r"^  (FIRES |silent)  (?:rule|urgent notice) (\S+) ", out, re.M)
    }
    assert shown == fired
    assert sum(fired.values()) >= 4


def test_explain_refuses_bad_answers_with_exit_2(tmp_path, capsys) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("sleep_quality: awful\n")
    code, out, err = run(capsys, "explain", str(path))
    assert code == 2
    assert out == ""
    assert "'awful' is not an option" in err


# --- diff ----------------------------------------------------------------------------------------


def test_diff_of_identical_rule_sets_says_no_changes(capsys) -> None:
    code, out, _ = run(capsys, "diff", str(ROOT / "rules"), str(ROOT / "rules"))
    assert code == 0
    assert re.fullmatch(r"no changes: all \d+ sets of answers give the same results", out.strip().splitlines()[-1])


def test_diff_shows_results_that_change(tmp_path, capsys, ruleset) -> None:
    new = tmp_path / "new"
    shutil.copytree(ROOT / "rules", new)
    rules = new / "rules.yaml"
    rules.write_text(
        rules.read_text().replace(
            "when: {question: sleep_quality, one_of: [poor, very_poor]}",
            "when: {question: sleep_quality, equals: very_poor}",
        )
    )
    answers = tmp_path / "mine.yaml"
    answers.write_text("sleep_quality: poor\nstress_level: high\n")
    code, out, _ = run(capsys, "diff", str(ROOT / "rules"), str(new), str(answers))
    assert code == 0
    block = out.split(f"\n{answers}\n", 1)[1].split("\n\n", 1)[0].splitlines()
    sleep, stress = ruleset.categories["sleep"].title, ruleset.categories["stress"].title
    assert block == [
        "  answers:",
        f"    {ruleset.questions['sleep_quality'].short} (sleep_quality): {by_label(ruleset, 'sleep_quality', 'poor')}",
        f"    {ruleset.questions['stress_level'].short} (stress_level): {by_label(ruleset, 'stress_level', 'high')}",
        f"  topic '{sleep}' no longer shown (was rank 1, score 3)",
        f"  topic '{stress}' moves from rank 2 to rank 1",
        "  rule 'sleep-poor-quality' no longer fires",
    ]
    assert "  rule 'sleep-poor-quality': condition changed" in out.splitlines()
    assert out.strip().splitlines()[-1].startswith("1 of ")


def test_diff_reports_urgent_tier_changes_and_new_rules(tmp_path, capsys) -> None:
    new = tmp_path / "new"
    shutil.copytree(ROOT / "rules", new)
    urgent = new / "urgent.yaml"
    text = urgent.read_text()
    # A notice shown to more people, and a notice of a higher tier.
    text = text.replace(
        "- {question: age_band, one_of: [50_59, 60_plus]}", "- {question: age_band, one_of: [40_49, 50_59, 60_plus]}"
    )
    start = text.index("  - id: new-headache-pattern-over-50")
    text = text[:start] + text[start:].replace("tier: soon", "tier: today", 1)
    urgent.write_text(text)
    code, out, _ = run(capsys, "diff", str(ROOT / "rules"), str(new))
    assert code == 0
    assert "  urgent tier: soon -> today" in out.splitlines()
    assert "  urgent notice 'new-headache-pattern-over-50' now shows" in out.splitlines()


def test_diff_flags_answers_the_new_rules_no_longer_accept(tmp_path, capsys) -> None:
    new = tmp_path / "new"
    shutil.copytree(ROOT / "rules", new)
    questions = new / "questions.yaml"
    questions.write_text(
        questions.read_text().replace("          - {value: tmj, label: TMJ (jaw joint) problems}\n", "")
    )
    rules = new / "rules.yaml"
    rules.write_text(
        rules.read_text()
        .replace("[ibs, migraine, chronic_fatigue, tmj]", "[ibs, migraine, chronic_fatigue]")
        .replace("conditions: [tmj]", "conditions: [ibs]")
        .replace("conditions: [ibs, tmj]", "conditions: [ibs, migraine]")
    )
    code, out, _ = run(capsys, "diff", str(ROOT / "rules"), str(new))
    assert code == 0
    assert "  question 'conditions': removed option 'tmj'" in out
    assert any(
        line.startswith("  left out: ") and "(tmj)" in line and "the new rules do not accept it" in line
        for line in out.splitlines()
    )


def test_diff_says_when_an_answers_file_fits_neither_rule_set(tmp_path, capsys) -> None:
    answers = tmp_path / "typo.yaml"
    answers.write_text("sleep_qualty: poor\n")  # a typo: neither rule set has the question
    code, out, _ = run(capsys, "diff", str(ROOT / "rules"), str(ROOT / "rules"), str(answers))
    assert code == 0
    assert (
        "  left out: sleep_qualty: poor (not a question of either rule set): neither rule set accepts it "
        "(there is no question 'sleep_qualty' (did you mean 'sleep_quality'?))"
    ) in out.splitlines()
