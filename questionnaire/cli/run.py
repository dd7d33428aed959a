"""Run the command line: ``python -m questionnaire COMMAND`` (assess, and the authoring commands)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import fhir
from ..answers import AnswerProblem
from ..authoring.commands import register
from ..engine import assess
from .common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Handler,
    add_rules_option,
    in_language,
    load_or_report,
    read_valid_answers,
)


def cmd_assess(args: argparse.Namespace) -> int:
    """Print the assessment of an answers file as JSON."""
    english = load_or_report(args.rules)
    if english is None:
        return EXIT_FAILED
    ruleset = in_language(english, args.rules, args.language)
    if ruleset is None:
        return EXIT_USAGE
    notes: list[AnswerProblem] = []
    answers = read_valid_answers(ruleset, args.answers, notes)
    if answers is None:
        return EXIT_USAGE
    for note in notes:
        print(f"{args.answers}: note: {note}", file=sys.stderr)
    if args.format == "fhir":
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
    assess_cmd.add_argument(
        "--language",
        default="en",
        metavar="LANG",
        help="the language of the texts, such as es (default: en); ids, values and the rest stay the same",
    )
    assess_cmd.set_defaults(handler=cmd_assess)
    register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)
