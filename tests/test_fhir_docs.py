"""docs/fhir.md shows what the code makes: its examples are generated, valid and up to date."""

from __future__ import annotations

import json

from questionnaire.fhir import examples as docs
from tests.fhirtools import validate


def test_the_examples_in_the_fhir_guide_are_up_to_date(ruleset) -> None:
    text = docs.DOC.read_text(encoding="utf-8")
    made = docs.examples(ruleset)
    assert docs.render(text, made) == text, "run: python -m questionnaire.fhir.examples"


def test_the_examples_are_valid_fhir(ruleset) -> None:
    made = docs.examples(ruleset)
    for name in ("questionnaire", "bundle", "operation-outcome"):
        validate(json.loads(made[name]))
    bundle = json.loads(made["bundle"])
    risk = bundle["entry"][1]["resource"]
    assert [p["qualitativeRisk"]["coding"][0]["code"] for p in risk["prediction"]] == ["soon"]
    item = json.loads(made["enable-when-expression"])
    assert "not()" in item["extension"][0]["valueExpression"]["expression"]
