"""Shared fixtures: the default rule set, editable copies of it, and the web app."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from questionnaire.answerfile import sample
from questionnaire.loader import load_ruleset
from questionnaire.model import RuleSet
from tests.rulescopy import RULES, RulesCopy

pytest_plugins = ("tests.clinicfixtures",)


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load_ruleset(RULES)


@pytest.fixture
def rules_copy(tmp_path: Path) -> RulesCopy:
    return RulesCopy(tmp_path)


MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture
def mini_rules(tmp_path: Path) -> RulesCopy:
    """A small rule set of its own (tests/fixtures/mini) for tests that must not depend on the real content."""
    copy = RulesCopy.__new__(RulesCopy)
    copy.dir = tmp_path / "mini"
    shutil.copytree(MINI, copy.dir, ignore=shutil.ignore_patterns("README.md"))
    return copy


@pytest.fixture
def mini_app(tmp_path: Path, mini_rules: RulesCopy):
    from questionnaire import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-" + "x" * 32,
            "INSTANCE_PATH": str(tmp_path / "i"),
            "RULES_DIR": str(mini_rules.dir),
        }
    )


@pytest.fixture
def make_answers(ruleset: RuleSet) -> Callable[..., dict[str, str | frozenset[str]]]:
    """Build answers in normal form from plain keyword values, checking them as the API does."""
    from questionnaire.answers import parse_answers

    def build(**raw: object) -> dict[str, str | frozenset[str]]:
        answers, problems = parse_answers(ruleset.questions, raw, ruleset.retired)
        assert not problems, problems
        return answers

    return build


@pytest.fixture
def app(tmp_path: Path):
    from questionnaire import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "test-secret-" + "x" * 32, "INSTANCE_PATH": str(tmp_path / "i")})


@pytest.fixture
def client(app):
    return app.test_client()


# What must never be logged: the distinctive values and the ids of the questions they answer.
_SECRET_VALUES = (
    "very_poor",
    "prefer_not_to_say",
    "elevated",
    "rheumatoid_arthritis",
    "mood_disorder",
    "chronic_pain",
    "not_applicable",
    "chronic_fatigue",
    "several_weekly",
    "neuromodulation",
    "cbt_mindfulness",
    "side_effects",
)
_SECRET_IDS = (
    "sleep_quality",
    "wake_unrefreshed",
    "snoring_or_apnea",
    "past_trauma",
    "inflammation_markers",
    "autoimmune",
    "family_history",
    "hormonal_pattern",
    "sensitivities",
    "headache_triggers",
    "treatments_tried",
    "treatment_result_neuromodulation",
    "sudden_severe_headache",
)
_NOT_OFFERED = "zz_value_never_offered_zz"


@dataclass(frozen=True)
class LogSecrets:
    """Answers that appear nowhere else (samples/distinctive.yaml), and what of them no log may carry."""

    answers: dict[str, object]
    values: tuple[str, ...]
    ids: tuple[str, ...]
    not_offered: str

    def found_in(self, text: str) -> list[str]:
        """Return every secret value, question id or unoffered value that the text carries."""
        return [s for s in (*self.values, *self.ids, self.not_offered) if s in text]


@pytest.fixture(scope="session")
def log_secrets() -> LogSecrets:
    """The distinctive answers and the values and ids that must never be logged."""
    return LogSecrets(sample("distinctive"), _SECRET_VALUES, _SECRET_IDS, _NOT_OFFERED)
