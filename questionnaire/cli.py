"""The command line: ``python -m questionnaire COMMAND``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .answerfile import AnswerFileError, read_answers_file
from .answers import AnswerProblem, parse_answers, retired_notes
from .engine import assess
from .loader import default_rules_dir, load_ruleset
from .model import RuleSet
from .problems import RuleSetError

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


def cmd_assess(args: argparse.Namespace) -> int:
    """Print the assessment of an answers file as JSON."""
    ruleset = load_or_report(args.rules)
    if ruleset is None:
        return EXIT_FAILED
    notes: list[AnswerProblem] = []
    answers = read_valid_answers(ruleset, args.answers, notes)
    if answers is None:
        return EXIT_USAGE
    for note in notes:
        print(f"{args.answers}: note: {note}", file=sys.stderr)
    if args.format == "fhir":
        from . import fhir

        try:
            sys.stdout.write(fhir.bundle_json(ruleset, answers, args.authored, notes=notes))
        except (fhir.AuthoredError, fhir.BaseUrlError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK
    sys.stdout.write(assess(ruleset, answers, notes).to_json())
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m questionnaire", description="Fibromyalgia trigger questionnaire tools."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    assess_cmd = sub.add_parser("assess", help="assess an answers file and print the result as JSON")
    assess_cmd.add_argument("answers", type=Path, metavar="ANSWERS_FILE", help="answers as YAML or JSON")
    add_rules_option(assess_cmd)
    assess_cmd.add_argument(
        "--format",
        choices=("json", "fhir"),
        default="json",
        help="json (default): the assessment; fhir: a FHIR R4 Bundle with the QuestionnaireResponse and the "
        "assessment (canonical base from $QUESTIONNAIRE_FHIR_BASE)",
    )
    assess_cmd.add_argument(
        "--authored",
        metavar="DATETIME",
        help="with --format fhir: when the answers were given, e.g. 2026-11-22T09:30:00Z (default: now)",
    )
    assess_cmd.set_defaults(handler=cmd_assess)
    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands() -> list[Callable[[argparse._SubParsersAction], None]]:  # type: ignore[type-arg]
    from .authoring.commands import register

    return [register]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)
