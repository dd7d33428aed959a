"""Find questions and options nothing reads, and categories no rule can reach."""

from __future__ import annotations

from ..conditions import Condition
from ..model import RuleSet
from ..problems import Problem
from ..yamlsource import Document


def all_conditions(ruleset: RuleSet) -> list[Condition]:
    """Return every condition in the rule set: rules, urgent notices, endings, sections and show_if."""
    found: list[Condition] = [r.when for r in ruleset.rules] + [n.when for n in ruleset.urgent]
    found += [e.when for e in ruleset.endings]
    for section in ruleset.sections:
        found += [c for c in (section.when, *(p.when for p in section.parts)) if c is not None]
    for page in ruleset.pages:
        if page.show_if is not None:
            found.append(page.show_if)
        found.extend(q.show_if for q in page.questions if q.show_if is not None)
    return found


def check_unread(ruleset: RuleSet, questions_doc: Document | None) -> list[Problem]:
    """Warn about questions no condition reads, and options of multiple choice questions no condition names.

    In a single choice question the options a rule does not name are its
    "otherwise" answers (for example "Well" when a rule looks for "Poorly"), so
    they are meaningful without being named. In a multiple choice question an
    option no condition names changes no result, so it is worth a look.
    """
    conditions = all_conditions(ruleset)
    read: set[str] = set()
    named: dict[str, set[str]] = {}
    for condition in conditions:
        for leaf in condition.leaves():
            read.add(leaf.question)
            named.setdefault(leaf.question, set()).update(leaf.values)
    for score in ruleset.scores.values():  # a scored question is read, and each of its options counts
        for qid in score.questions:
            read.add(qid)
            named.setdefault(qid, set()).update(o.value for o in ruleset.questions[qid].options)
    problems: list[Problem] = []
    for page in ruleset.pages:
        for qi, question in enumerate(page.questions):
            where = question.location
            if question.id not in read:
                message = (
                    f"no rule, urgent notice, section, ending, score or show_if reads question '{question.id}', "
                    "so its answer changes nothing; use it in a condition or check that it is still needed"
                )
                problems.append(Problem(where.file, where.line, where.column, message, "warning", "unread-question"))
                continue
            if not question.multiple:
                continue
            for oi, option in enumerate(question.options):
                if option.unsure or option.exclusive or option.value in named.get(question.id, set()):
                    continue
                line, column = where.line, where.column
                if questions_doc is not None:
                    line, column = questions_doc.where(("pages", page.index, "questions", qi, "options", oi))
                message = (
                    f"no rule, urgent notice or show_if reads option '{option.value}' of question "
                    f"'{question.id}', so choosing it changes no result"
                )
                problems.append(Problem(where.file, line, column, message, "warning", "unread-option"))
    return problems


def check_unreached(ruleset: RuleSet, never_fire: set[str]) -> list[Problem]:
    """Return an error for each category that no rule points to, or whose rules can never fire."""
    problems: list[Problem] = []
    for cid, category in ruleset.categories.items():
        rules = [r.id for r in ruleset.rules if r.category == cid]
        where = category.location
        if not rules:
            message = (
                f"no rule points to category '{cid}', so it is never shown as a match; "
                f"add a rule with category: {cid} to rules.yaml"
            )
        elif all(rid in never_fire for rid in rules):
            names = ", ".join(f"'{r}'" for r in rules)
            message = f"category '{cid}' is never shown as a match: none of its rules can fire ({names})"
        else:
            continue
        problems.append(Problem(where.file, where.line, where.column, message, code="unreached-category"))
    return problems
