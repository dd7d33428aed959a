"""An ordinary content change must not need a single test edited (issue 13).

The "painkiller-days" change (tests/contentchange.py: a new required question with options on an
existing page, a rule that reads it, a raised version) is made to a copy of the project, exactly as
an editor would make it to rules/. Then the editor's checks and the tests that walk the questionnaire
run there, unedited, against the changed rules.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.contentchange import add_painkiller_days

ROOT = Path(__file__).resolve().parent.parent
#: What a copy of the project needs to run the tools and the tests.
PARTS = ("questionnaire", "bench", "tests", "templates", "static", "samples", "rules", "pyproject.toml", "app.py")
#: The tests that walk the questionnaire from start to results, or read every rule text and version.
WALKING = (
    "tests/test_reading_grade.py",
    "tests/test_privacy_logs.py",
    "tests/test_web_flow.py",
    "tests/test_profiles.py",
    "tests/test_examples.py",
    "tests/test_loader.py",
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def changed_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("project")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "browser", "screenshots")
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=ignore)
        else:
            shutil.copy2(source, root / part)
    return root, add_painkiller_days(root / "rules")


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUESTIONNAIRE_")}
    env["PYTHONPATH"] = str(root)
    return subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=900)


def test_the_change_is_what_the_guide_describes(changed_project) -> None:
    root, ids = changed_project
    questions = (root / "rules/questions.yaml").read_text(encoding="utf-8")
    assert f"- id: {ids['question']}" in questions and f"- id: {ids['rule']}" in (root / "rules/rules.yaml").read_text()
    assert (root / "rules/ruleset.yaml").read_text() != (ROOT / "rules/ruleset.yaml").read_text()


@pytest.mark.parametrize("command", ["check", "test", "coverage"])
def test_the_editor_checks_pass_on_the_changed_rules(changed_project, command) -> None:
    root, ids = changed_project
    done = _run(root, "-m", "questionnaire", command, "rules")
    assert done.returncode == 0, done.stdout + done.stderr
    assert ids["question"] not in done.stdout or command == "coverage", done.stdout


def test_the_walking_tests_pass_unedited_on_the_changed_rules(changed_project) -> None:
    root, _ = changed_project
    done = _run(root, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *WALKING)
    tail = "\n".join(done.stdout.splitlines()[-40:])
    assert done.returncode == 0, tail + done.stderr[-2000:]
