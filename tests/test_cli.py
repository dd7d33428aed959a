"""The command line and the JSON API: same engine, same JSON, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from questionnaire.cli import main
from questionnaire.yamlsource import load_bytes

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = """\
age_band: 50_59
past_trauma: yes
exercise_days: 1_2
caffeine: 3_plus
headaches: weekly
sudden_severe_headache: no
neuro_symptoms: no
fever_stiff_neck: no
head_injury: no
headache_new_or_changed: yes
conditions: [ibs, migraine]
sensitivities: [light, noise]
"""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_assess_prints_json(tmp_path, capsys) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(SAMPLE)
    code, out, err = run(capsys, "assess", str(path))
    assert code == 0, err
    data = json.loads(out)
    assert data["urgent_tier"] == "soon"
    assert "migraine" in [c["id"] for c in data["categories"]]
    # bare yes/no and 1_2 in YAML are read as the option values they mean
    assert data["answers"]["past_trauma"] == "yes"
    assert data["answers"]["exercise_days"] == "1_2"
    assert data["answers"]["sudden_severe_headache"] == "no"


def test_assess_reads_json_files(tmp_path, capsys) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"sleep_quality": "poor", "autoimmune": ["lupus"]}))
    code, out, _ = run(capsys, "assess", str(path))
    assert code == 0
    assert [c["id"] for c in json.loads(out)["categories"]] == ["sleep", "immune"]


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        ("bogus: 1\n", ["bogus: there is no question 'bogus'"]),
        ("sleep_quality: awful\n", ["sleep_quality: 'awful' is not an option; choose one of: very_good"]),
        ("sleep_quality: [poor]\n", ["sleep_quality: this question takes one answer, not a list"]),
        ("autoimmune: [none, lupus]\n", ["autoimmune: 'none' cannot be combined with other options"]),
        (
            "sleep_qualty: poor\nstress_level: huge\n",
            [
                "sleep_qualty: there is no question 'sleep_qualty' (did you mean 'sleep_quality'?)",
                "stress_level: 'huge' is not an option",
            ],
        ),
        ("- a\n- b\n", ["answers must be a mapping"]),
    ],
)
def test_bad_answers_exit_2_with_a_message_each(tmp_path, capsys, content, messages) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(content)
    code, out, err = run(capsys, "assess", str(path))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == len(messages)
    for line, message in zip(lines, messages, strict=True):
        assert message in line


def test_missing_answers_file_exits_2(tmp_path, capsys) -> None:
    code, _, err = run(capsys, "assess", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "no such file" in err


def test_broken_rules_exit_1_with_file_and_line(rules_copy, tmp_path, capsys) -> None:
    rules_copy.replace("rules.yaml", "equals: 3_plus", "equals: lots")
    path = tmp_path / "answers.yaml"
    path.write_text("caffeine: 3_plus\n")
    code, _, err = run(capsys, "assess", str(path), "--rules", str(rules_copy.dir))
    assert code == 1
    line = rules_copy.line_of("rules.yaml", "equals: lots")
    assert f"rules.yaml:{line}:" in err
    assert "'lots' is not an option of question 'caffeine'" in err


def test_cli_and_api_give_identical_json(tmp_path, client) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(SAMPLE)
    cli = subprocess.run(
        [sys.executable, "-m", "questionnaire", "assess", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    answers = load_bytes(SAMPLE.encode(), "sample.yaml").data
    api = client.post("/api/v1/assessments", json={"answers": answers})
    assert api.status_code == 200
    assert api.get_data(as_text=True) == cli.stdout
    assert json.loads(api.data)["urgent_tier"] == "soon"
