"""Name things in FHIR: the questionnaire's canonical url and the code systems under it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

#: The Questionnaire's logical id: the last segment of its canonical url.
QUESTIONNAIRE_ID = "fibromyalgia-trigger-check"
#: Used when QUESTIONNAIRE_FHIR_BASE is not set. ``.example`` is reserved (RFC 2606), so this default
#: can never point at someone else's server; a deployment sets its own public ``https://host/api/v1``.
DEFAULT_BASE = "https://fibromyalgia-trigger-check.example/api/v1"
BASE_VARIABLE = "QUESTIONNAIRE_FHIR_BASE"

FHIR_JSON = "application/fhir+json"

# Extensions (R4 core and SDC). Each is named once here so docs and tests quote the same text.
EXT_OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
EXT_ENABLE_WHEN_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
EXT_ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
EXT_TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"


class BaseUrlError(ValueError):
    """Refuse a base url that cannot make a stable canonical."""


def check_base(base: str) -> str:
    """Return the base url without a trailing slash, or raise BaseUrlError saying what is wrong."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BaseUrlError(f"{BASE_VARIABLE} must be an absolute http(s) url such as {DEFAULT_BASE}; got {base!r}")
    if parts.query or parts.fragment:
        raise BaseUrlError(f"{BASE_VARIABLE} must not have a query or fragment; got {base!r}")
    return base.rstrip("/")


def default_base() -> str:
    """Return the configured base url (QUESTIONNAIRE_FHIR_BASE) or the default one."""
    return check_base(os.environ.get(BASE_VARIABLE) or DEFAULT_BASE)


@dataclass(frozen=True, slots=True)
class Canonical:
    """Build every url this product mints from one base, so the CLI and the API agree."""

    base: str
    version: str

    @property
    def url(self) -> str:
        """Return the Questionnaire's canonical url (without version)."""
        return f"{self.base}/fhir/Questionnaire/{QUESTIONNAIRE_ID}"

    @property
    def versioned(self) -> str:
        """Return ``url|version``, the form QuestionnaireResponse.questionnaire takes."""
        return f"{self.url}|{self.version}"

    def answers_system(self, question_id: str) -> str:
        """Return the code system of one question's options.

        One system per question: an option value such as ``none`` means "none of these
        conditions" in one question and "none of these sensitivities" in another, and a code
        must mean one thing within its system.
        """
        return f"{self.url}/answers/{question_id}"

    @property
    def categories_system(self) -> str:
        """Return the code system of the trigger categories (topics)."""
        return f"{self.url}/categories"

    @property
    def scores_system(self) -> str:
        """Return the code system of the scores (totals of option points, such as PHQ-2)."""
        return f"{self.url}/scores"

    @property
    def urgent_system(self) -> str:
        """Return the code system of the urgent notices."""
        return f"{self.url}/urgent-notices"

    @property
    def tiers_system(self) -> str:
        """Return the code system of the urgency tiers."""
        return f"{self.url}/urgency-tiers"

    @property
    def rules_system(self) -> str:
        """Return the code system of the rules whose reasons explain a topic."""
        return f"{self.url}/rules"

    @property
    def parts_system(self) -> str:
        """Return the code system naming the parts of a topic Observation (rank, reason)."""
        return f"{self.url}/result-parts"

    @property
    def method_system(self) -> str:
        """Return the code system naming this rule set as an assessment method."""
        return f"{self.url}/method"
