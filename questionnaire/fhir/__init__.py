"""FHIR R4 for the questionnaire: the rule set as an SDC Questionnaire, answers as a QuestionnaireResponse.

Plain Python over plain data (dicts ready for ``json.dumps``); no web framework and no FHIR
library at run time. The tests validate everything produced here with the ``fhir.resources`` R4B
models and evaluate the visibility with ``fhirpathpy``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..answers import AnswerProblem
from ..model import Answers, RuleSet
from .assessment import AuthoredError, build_bundle, check_authored, now_authored
from .canonical import FHIR_JSON, BaseUrlError, Canonical, check_base, default_base
from .outcome import Issue, operation_outcome
from .questionnaire import build_questionnaire
from .response import build_response, read_response

__all__ = [
    "FHIR_JSON",
    "AuthoredError",
    "BaseUrlError",
    "Canonical",
    "Issue",
    "build_bundle",
    "build_questionnaire",
    "build_response",
    "bundle_json",
    "canonical_for",
    "check_authored",
    "check_base",
    "default_base",
    "now_authored",
    "operation_outcome",
    "questionnaire_json",
    "read_response",
    "to_json",
]

_CACHE: dict[tuple[object, ...], tuple[RuleSet, str]] = {}
_CACHE_MAX = 16


def canonical_for(ruleset: RuleSet, base: str | None = None) -> Canonical:
    """Return the canonical names for a rule set under a base url (default: QUESTIONNAIRE_FHIR_BASE)."""
    return Canonical(check_base(base) if base else default_base(), ruleset.version)


def to_json(resource: dict[str, Any]) -> str:
    """Return a resource as JSON text, byte for byte the same from the CLI and the API."""
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"


def questionnaire_json(
    ruleset: RuleSet, canonical: Canonical, translations: Mapping[str, RuleSet] | None = None
) -> str:
    """Return the Questionnaire, with its translations, as JSON text, built once per rule set object and base."""
    key = (id(ruleset), canonical.base, tuple(sorted((c, id(r)) for c, r in (translations or {}).items())))
    entry = _CACHE.get(key)
    if entry is not None and entry[0] is ruleset:
        return entry[1]
    text = to_json(build_questionnaire(ruleset, canonical, translations))
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    # The entry holds the rule set itself, so its id cannot be reused while it is cached.
    _CACHE[key] = (ruleset, text)
    return text


def bundle_json(
    ruleset: RuleSet,
    answers: Answers,
    authored: str | None = None,
    base: str | None = None,
    notes: list[AnswerProblem] | None = None,
) -> str:
    """Return the FHIR Bundle for validated answers as JSON text (the CLI's ``--format fhir``).

    Raises AuthoredError or BaseUrlError with a message fit for the person who typed the command.
    """
    when = check_authored(authored) if authored else now_authored()
    return to_json(build_bundle(ruleset, canonical_for(ruleset, base), answers, when, notes))
