"""Register the authoring subcommands on the command line: check, test, coverage, explain, diff."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from ..answerfile import AnswerFileError, read_answers_file
from ..cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_rules_option, load_or_report, read_valid_answers
from ..loader import default_rules_dir
from ..translation import catalogue
from . import acknowledge, contentdiff, readability
from . import coverage as coverage_mod
from .check import run_checks, sort_problems, summary
from .diff import AnswerSet, answer_line, compare, example_answer_sets, unique
from .examples import report_lines, run_all
from .explain import explain


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the authoring subcommands."""
    check = sub.add_parser("check", help="check the rule files: loader errors, contradictions, reading grade, links")
    _add_dir(check)
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    check.add_argument(
        "--sentence-words",
        type=int,
        default=readability.SENTENCE_WORDS,
        metavar="N",
        help=f"warn about sentences longer than N words (default: {readability.SENTENCE_WORDS})",
    )
    check.add_argument(
        "--sentence-grade",
        type=float,
        default=readability.SENTENCE_GRADE,
        metavar="GRADE",
        help=f"warn about sentences above this school grade (default: {readability.SENTENCE_GRADE})",
    )
    check.add_argument("--all", action="store_true", help="also print the warnings acknowledged in acknowledged.yaml")
    check.set_defaults(handler=cmd_check)

    test = sub.add_parser("test", help="run the examples written in the rule files")
    _add_dir(test)
    test.add_argument("-v", "--verbose", action="store_true", help="also list the examples that pass")
    test.set_defaults(handler=cmd_test)

    cover = sub.add_parser("coverage", help="show which rules and options the examples exercise")
    _add_dir(cover)
    cover.add_argument(
        "--min",
        type=float,
        default=100.0,
        metavar="PERCENT",
        help="fail when fewer rules than this fire in one example and stay silent in another (default: 100)",
    )
    cover.add_argument("-v", "--verbose", action="store_true", help="list the options no example chooses")
    cover.set_defaults(handler=cmd_coverage)

    why = sub.add_parser("explain", help="trace every urgent notice and rule for an answers file")
    why.add_argument("answers", type=Path, metavar="ANSWERS_FILE", help="answers as YAML or JSON")
    add_rules_option(why)
    why.add_argument("--only-fired", action="store_true", help="show only the urgent notices and rules that apply")
    why.set_defaults(handler=cmd_explain)

    diff = sub.add_parser("diff", help="show how results change between two rule sets")
    diff.add_argument("old", type=Path, metavar="OLD_DIR", help="the rules folder before the change")
    diff.add_argument("new", type=Path, metavar="NEW_DIR", help="the rules folder after the change")
    diff.add_argument("answers", type=Path, nargs="*", metavar="ANSWERS_FILE", help="more answers to compare")
    diff.set_defaults(handler=cmd_diff)

    translations = sub.add_parser(
        "translations", help="refresh a language's catalogues (rules/locales/LANG/*.po) after an English change"
    )
    translations.add_argument(
        "action", choices=("update",), help="update: write the catalogues for the current English"
    )
    translations.add_argument("language", metavar="LANG", help="the language code, such as es")
    _add_dir(translations)
    translations.set_defaults(handler=cmd_translations)


def _add_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "directory",
        type=Path,
        nargs="?",
        default=None,
        metavar="DIR",
        help="rules folder (default: $QUESTIONNAIRE_RULES or the bundled rules/)",
    )


def cmd_check(args: argparse.Namespace) -> int:
    """Print every problem in the rule files; exit 1 when any is an error."""
    directory = args.directory or default_rules_dir()
    limits = readability.Limits(args.sentence_words, args.sentence_grade)
    notes: list[str] = []
    found = run_checks(directory, limits, notes)
    known = acknowledge.apply(directory, found) if not args.all else acknowledge.Filtered(found, 0, "")
    problems = sort_problems(known.problems)
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            # The code in brackets is what acknowledged.yaml names to accept an expected warning.
            print(problem.shown() if problem.severity == "error" else f"{problem.shown()} [{problem.code}]")
        for note in notes:
            print(note)
        print(summary(problems, known.acknowledged, known.file))
    return EXIT_FAILED if any(p.severity == "error" for p in problems) else EXIT_OK


def cmd_translations(args: argparse.Namespace) -> int:
    """Write a language's catalogues for the current English, keeping every translation still usable."""
    ruleset = load_or_report(args.directory)
    if ruleset is None:
        return EXIT_FAILED
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Z]{2})?", args.language):
        print(f"error: '{args.language}' is not a language code; write one such as es or pt-BR", file=sys.stderr)
        return EXIT_USAGE
    directory = args.directory or default_rules_dir()
    for path in catalogue.update(ruleset, directory, args.language):
        print(f"wrote {path}")
    if args.language not in ruleset.languages:
        print(f"note: add '{args.language}' under languages in ruleset.yaml to check it and offer it when complete")
    print(f"next: translate the empty and fuzzy entries, then run: python -m questionnaire check {directory}")
    return EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    """Run every example; print each failure with its file:line and a count."""
    ruleset = load_or_report(args.directory)
    if ruleset is None:
        return EXIT_FAILED
    outcomes = run_all(ruleset)
    for outcome in outcomes:
        for line in report_lines(outcome):
            print(line)
        if args.verbose and outcome.passed:
            print(f"ok {outcome.case.id}")
    failed = sum(1 for o in outcomes if not o.passed)
    print(f"{len(outcomes) - failed} passed, {failed} failed")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print rule and option coverage; exit 1 when rule coverage is under --min."""
    ruleset = load_or_report(args.directory)
    if ruleset is None:
        return EXIT_FAILED
    cov = coverage_mod.measure(ruleset, run_all(ruleset))
    covered = sum(i.both_ways for i in cov.items)
    print(
        f"Rules, urgent notices, endings and sections that fire in one example and stay silent in another: "
        f"{covered} of {len(cov.items)} ({cov.rule_percent:.1f}%)"
    )
    for item in cov.items:
        where = f"{item.location.file}:{item.location.line}:{item.location.column}"
        if not item.fired:
            print(f"  {where}: {item.kind} '{item.id}' fires in no example; add one where it fires")
        if not item.silent:
            print(
                f"  {where}: {item.kind} '{item.id}' stays silent in no example that answers its questions; "
                "add one where it stays silent"
            )
    options = f"{cov.options_exercised} of {cov.options_total} ({cov.option_percent:.1f}%)"
    print(f"Options chosen in at least one example: {options}")
    if cov.unexercised and not args.verbose:
        # For information only: one line, not one per question, so the lines above stand out.
        print(f"  {len(cov.unexercised)} questions have options no example chooses (coverage -v lists them)")
    for qid, values in cov.unexercised.items() if args.verbose else ():
        where = coverage_mod.question_line(ruleset.questions[qid])
        print(f"  {where}: {qid}: no example chooses {', '.join(values)}")
    if cov.rule_percent < args.min:
        print(f"Rule coverage {cov.rule_percent:.1f}% is under the minimum of {args.min:g}%")
        return EXIT_FAILED
    print(f"Rule coverage {cov.rule_percent:.1f}% meets the minimum of {args.min:g}%")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    """Print a trace of every urgent notice and rule for one answers file."""
    ruleset = load_or_report(args.rules)
    if ruleset is None:
        return EXIT_FAILED
    answers = read_valid_answers(ruleset, args.answers)
    if answers is None:
        return EXIT_USAGE
    for line in explain(ruleset, answers, only_fired=args.only_fired):
        print(line)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    """Print how results change from OLD_DIR to NEW_DIR for every example and answers file."""
    old = load_or_report(args.old)
    new = load_or_report(args.new)
    if old is None or new is None:
        return EXIT_FAILED
    sets = example_answer_sets(old) + example_answer_sets(new)
    for path in args.answers:
        try:
            raw = read_answers_file(path)
        except AnswerFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if not isinstance(raw, dict):
            print(f"{path}: answers must be a mapping from question id to answer", file=sys.stderr)
            return EXIT_USAGE
        sets.append(AnswerSet(str(path), raw, from_file=True))
    sets = unique(sets)
    print(f"Comparing {args.old} (version {old.version}) with {args.new} (version {new.version})")
    print()
    edits = contentdiff.changes(old, new)
    print("What changed in the rules:" if edits else "What changed in the rules: nothing")
    for line in edits:
        print(f"  {line}")
    changes = compare(old, new, sets)
    print()
    print(f"How results change, on {len(sets)} sets of answers (examples of both rule sets and your answer files):")
    for change in changes:
        print()
        print(change.answers.label)
        print("  answers:")
        for qid, value in change.answers.raw.items():
            print(f"    {answer_line(old, new, qid, value)}")
        for line in change.lines:
            print(f"  {line}")
    print()
    if changes:
        print(f"{len(changes)} of {len(sets)} sets of answers give different results or were compared in part")
    else:
        print(f"no changes: all {len(sets)} sets of answers give the same results")
    return EXIT_OK
