"""Run every check on a rules folder: the loader's, then the static analyses.

Text checks (reading grade, links, category completeness) run on every file
that could be read, even when the loader refuses the rule set, so an author
sees as many problems as possible in one run.
"""

from __future__ import annotations

from pathlib import Path

from ..loader import display_base, load_ruleset, read_documents
from ..model import RuleSet
from ..problems import Problem, RuleSetError
from ..schemas import FILES
from .completeness import Restated, check_categories
from .links import check_links
from .neverfires import check_conditions
from .patienttext import collect
from .readability import Limits, check_reading_grade
from .translations import check_translations
from .usage import check_unreached, check_unread


def run_checks(directory: Path, limits: Limits | None = None, notes: list[str] | None = None) -> list[Problem]:
    """Return every problem in a rules folder, errors and warnings, sorted by file and line.

    Lines that sum up each translation (how complete, how readable) are added to ``notes`` when given.
    """
    ruleset: RuleSet | None = None
    try:
        ruleset = load_ruleset(directory)
        problems: list[Problem] = []
    except RuleSetError as exc:
        problems = list(exc.problems)
    if not directory.is_dir():
        return problems
    docs, _ = read_documents(directory)
    clearer, restated = check_categories(directory)
    problems = [p for p in problems if (p.file, p.line, p.column, p.code) not in _keys(restated)]
    problems += clearer
    texts = collect(directory, docs)
    problems += check_reading_grade(texts, directory, limits)
    problems += check_links(texts, directory)
    if ruleset is not None:
        condition_problems, never_fire = check_conditions(ruleset)
        problems += condition_problems
        problems += check_unread(ruleset, docs.get("questions.yaml"))
        problems += check_unreached(ruleset, never_fire)
        translation_problems, summaries = check_translations(ruleset, directory, display_base(directory))
        problems += translation_problems
        if notes is not None:
            notes += summaries
    return sort_problems(problems)


def _keys(restated: set[Restated]) -> set[tuple[str, int, int, str]]:
    return {(r.file, r.line, r.column, r.code) for r in restated}


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Return problems without repeats, in rule-file order, then by line and column."""
    order = {name: i for i, name in enumerate(FILES)}
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (order.get(Path(p.file).name, len(order)), p.file, p.line, p.column))


def counts(problems: list[Problem]) -> tuple[int, int]:
    """Return the number of errors and of warnings."""
    errors = sum(1 for p in problems if p.severity == "error")
    return errors, len(problems) - errors


def summary(problems: list[Problem], acknowledged: int = 0, where: str = "") -> str:
    """Return the closing line of a check, as compilers print it, with the count of acknowledged warnings."""
    errors, warnings = counts(problems)
    verdict = "the rule set is ready" if not errors else "fix the errors before publishing"
    known = f" ({acknowledged} acknowledged in {where})" if acknowledged else ""
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}{known}: {verdict}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
