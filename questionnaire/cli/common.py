"""Share what every subcommand needs: exit statuses, the --rules option, loading rules and reading answers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..answerfile import AnswerFileError, read_answers_file
from ..answers import AnswerProblem, parse_answers, retired_notes
from ..loader import default_rules_dir, load_ruleset
from ..model import RuleSet
from ..problems import RuleSetError
from ..translation.languages import translated_rulesets

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


def add_rules_option(parser: argparse.ArgumentParser) -> None:
    """Add the shared --rules option."""
    parser.add_argument(
        "--rules",
        type=Path,
        default=None,
        metavar="DIR",
        help="rules folder (default: $QUESTIONNAIRE_RULES or the bundled rules/)",
    )


def load_or_report(directory: Path | None) -> RuleSet | None:
    """Load the rule set, or print its problems to stderr and return None."""
    try:
        return load_ruleset(directory or default_rules_dir())
    except RuleSetError as exc:
        print(exc.report(), file=sys.stderr)
        return None


def in_language(ruleset: RuleSet, directory: Path | None, language: str) -> RuleSet | None:
    """Return the rule set in a language, or print why it is not offered and return None."""
    if language == ruleset.language:
        return ruleset
    offered = translated_rulesets(ruleset, directory or default_rules_dir())
    found = offered.get(language)
    if found is None:
        listed = ", ".join(sorted(offered))
        print(
            f"error: the content is not offered in '{language}' (offered: {listed}); "
            "python -m questionnaire check says what a translation still needs",
            file=sys.stderr,
        )
    return found


def read_valid_answers(
    ruleset: RuleSet, path: Path, notes: list[AnswerProblem] | None = None
) -> dict[str, str | frozenset[str]] | None:
    """Read and check an answers file, printing one message per problem; collect notes on retired questions."""
    try:
        raw = read_answers_file(path)
    except AnswerFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    raw = raw if raw is not None else {}
    answers, problems = parse_answers(ruleset.questions, raw, ruleset.retired)
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if notes is not None:
        notes.extend(retired_notes(ruleset.retired, raw))
    return None if problems else answers
