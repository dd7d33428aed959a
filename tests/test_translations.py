"""Content translations: every text reaches the reader translated, check names what is missing or stale.

The rules of the game run on the example rule set in tests/fixtures/mini (complete Spanish), so a
content change never breaks them; the real content's Spanish is checked by `make check` and by
tests/test_languages.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from questionnaire.cli import main
from questionnaire.engine import assess
from questionnaire.loader import load_ruleset
from questionnaire.translation.catalogue import update
from questionnaire.translation.check import review
from questionnaire.translation.languages import translated_rulesets
from questionnaire.translation.walk import extract, translate
from tests.rulescopy import RulesCopy

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
#: The keys of the result JSON whose strings are words for the reader; every other value is data.
TEXT_KEYS = {
    "name",
    "disclaimer",
    "title",
    "message",
    "text",
    "summary",
    "parts",
    "provider_prompts",
    "things_to_try",
    "note",
    "url",
}
MARK = "⟦"


def pseudo(ruleset):
    """Return the rule set with every text marked, as a translation that misses nothing would give."""
    return translate(ruleset, "xx", {t.context: f"{MARK}{t.english}" for t in extract(ruleset)})


def texts_of(data: object, key: str = "") -> list[tuple[str, str]]:
    """Return (key, string) for every reader's text in a result's JSON."""
    if isinstance(data, dict):
        return [found for k, v in data.items() for found in texts_of(v, k)]
    if isinstance(data, list):
        return [found for v in data for found in texts_of(v, key)]
    return [(key, data)] if key in TEXT_KEYS and isinstance(data, str) else []


def without_texts(data: object, key: str = "", keys: frozenset[str] = frozenset(TEXT_KEYS)) -> object:
    """Return a result's JSON with every reader's text blanked, leaving ids, values, tiers and weights."""
    if isinstance(data, dict):
        return {k: without_texts(v, k, keys) for k, v in data.items()}
    if isinstance(data, list):
        return [without_texts(v, key, keys) for v in data]
    return "·" if key in keys and isinstance(data, str) else data


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_text_of_a_result_comes_from_the_translation(sample: Path) -> None:
    from questionnaire.cli.common import read_valid_answers

    english = load_ruleset(ROOT / "rules")
    answers = read_valid_answers(english, sample)
    assert answers is not None
    result = json.loads(assess(pseudo(english), answers).to_json())
    untranslated = [(k, s) for k, s in texts_of(result) if MARK not in s]
    assert not untranslated, f"texts a translation never reaches: {untranslated[:5]}"
    assert without_texts(result) == without_texts(json.loads(assess(english, answers).to_json()))


def test_a_reason_quotes_the_answer_in_the_language_of_the_page(mini_rules: RulesCopy) -> None:
    english = load_ruleset(mini_rules.dir)
    spanish = translated_rulesets(english, mini_rules.dir)["es"]
    answers = {"mood_low": "more_than_half", "mood_interest": "several_days", "age_band": "adult"}
    result = json.loads(assess(spanish, answers).to_json())
    reasons = [r["text"] for c in result["categories"] for r in c["reasons"]]
    assert "Usted dijo que se sintió decaído más de la mitad de los días." in reasons


def test_answers_in_a_list_are_joined_with_the_languages_own_word() -> None:
    from questionnaire.text import join_words

    assert join_words(["la luz", "el ruido", "los olores"], "y") == "la luz, el ruido y los olores"


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_check_passes_a_complete_translation_and_reports_its_reading_ease(capsys, mini_rules: RulesCopy) -> None:
    _, out = run(capsys, "check", str(mini_rules.dir))
    assert re.search(r"Español \(es\): (\d+) of \1 texts translated, 0 missing, 0 out of date", out), out
    assert re.search(r"Reading ease \(Fernández Huerta, higher is easier\): median \d+", out)
    assert "translation" not in " ".join(line for line in out.splitlines() if ": error:" in line)


def test_check_fails_on_a_removed_spanish_text_naming_the_english_file_and_line(capsys, mini_rules: RulesCopy) -> None:
    po = "locales/es/questions.po"
    mini_rules.replace(po, 'msgstr "¿Qué edad tiene?"', 'msgstr ""')
    code, out = run(capsys, "check", str(mini_rules.dir))
    assert code == 1
    line = mini_rules.line_of("questions.yaml", "id: age_band")
    assert re.search(
        rf"questions\.yaml:{line}:\d+: error: the text of question 'age_band' has no es translation; "
        r"add it in \S*locales/es/questions\.po",
        out,
    ), out
    assert "not offered until this is fixed" in out.lower()
    assert "es" not in translated_rulesets(load_ruleset(mini_rules.dir), mini_rules.dir)


def test_check_fails_on_a_stale_spanish_text_naming_the_catalogue_line(capsys, mini_rules: RulesCopy) -> None:
    mini_rules.replace("questions.yaml", "text: How old are you?", "text: What is your age?")
    code, out = run(capsys, "check", str(mini_rules.dir))
    assert code == 1
    line = mini_rules.line_of("locales/es/questions.po", 'msgid "How old are you?"')
    assert re.search(
        rf"locales/es/questions\.po:{line}:1: error: the English of the text of question 'age_band' changed since "
        r"it was translated; now: \"What is your age\?\"",
        out,
    ), out


def test_update_keeps_the_old_translation_marked_fuzzy_with_the_old_english(capsys, mini_rules: RulesCopy) -> None:
    mini_rules.replace("questions.yaml", "text: How old are you?", "text: What is your age?")
    code, _ = run(capsys, "translations", "update", "es", str(mini_rules.dir))
    assert code == 0
    po = mini_rules.text("locales/es/questions.po")
    entry = po[po.index('#| msgid "How old are you?"') - 40 : po.index('msgctxt "question/age_band/text"') + 120]
    assert "fuzzy" in entry and 'msgstr "¿Qué edad tiene?"' in entry
    code, out = run(capsys, "check", str(mini_rules.dir))
    assert code == 1 and "is marked fuzzy" in out


def test_check_fails_on_an_extra_entry_and_on_a_changed_placeholder(capsys, mini_rules: RulesCopy) -> None:
    po = mini_rules.text("locales/es/rules.po")
    mini_rules.write("locales/es/rules.po", po + '\nmsgctxt "rule/gone/reason"\nmsgid "Gone."\nmsgstr "Ya no."\n')
    mini_rules.replace("locales/es/rules.po", "se sintió decaído {mood_low}.", "se sintió decaído {mood}.")
    code, out = run(capsys, "check", str(mini_rules.dir))
    assert code == 1
    assert "'rule/gone/reason' is not a text of the rule set" in out
    assert "must quote the same answers as the English: {mood_low}" in out


def test_a_hard_spanish_paragraph_gets_a_reading_ease_problem(capsys, mini_rules: RulesCopy) -> None:
    hard = (
        "La fibromialgia constituye una afección caracterizada fundamentalmente por manifestaciones "
        "dolorosas generalizadas, acompañadas habitualmente de alteraciones significativamente "
        "incapacitantes relacionadas con la calidad del descanso nocturno."
    )
    mini_rules.replace("locales/es/categories.po", 'msgstr "Dormir mal puede empeorar el dolor."', f'msgstr "{hard}"')
    _, out = run(capsys, "check", str(mini_rules.dir))
    assert re.search(r"locales/es/categories\.po:\d+:1: (error|warning): the summary of category 'sleep' \(es, ", out)
    assert "reading ease of" in out


def test_update_writes_the_same_catalogue_when_nothing_changed(mini_rules: RulesCopy) -> None:
    before = {p.name: p.read_bytes() for p in (mini_rules.dir / "locales/es").glob("*.po")}
    update(load_ruleset(mini_rules.dir), mini_rules.dir, "es")
    after = {p.name: p.read_bytes() for p in (mini_rules.dir / "locales/es").glob("*.po")}
    assert after == before


def test_every_listed_translation_is_complete_for_the_content_served(mini_rules: RulesCopy) -> None:
    english = load_ruleset(mini_rules.dir)
    checked = review(english, mini_rules.dir, "es")
    assert checked.complete, [str(p) for p in checked.problems][:5]
    assert len(checked.usable) == checked.total == len(extract(english))


def test_the_cli_gives_the_same_result_in_spanish_apart_from_the_texts(capsys, mini_rules: RulesCopy, tmp_path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("age_band: adult\nmood_low: nearly_every_day\nexercise_days: none\nsoon_flag: 'yes'\n")
    _, english = run(capsys, "assess", str(answers), "--rules", str(mini_rules.dir))
    code, spanish = run(capsys, "assess", str(answers), "--rules", str(mini_rules.dir), "--language", "es")
    assert code == 0
    assert without_texts(json.loads(spanish)) == without_texts(json.loads(english))
    assert json.loads(spanish)["disclaimer"] == "Este es un conjunto de reglas de prueba."


def test_the_cli_refuses_a_language_that_is_not_offered(capsys, mini_rules: RulesCopy, tmp_path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("age_band: adult\n")
    code, out = run(capsys, "assess", str(answers), "--rules", str(mini_rules.dir), "--language", "fr")
    assert code == 2
    assert "the content is not offered in 'fr' (offered: en, es)" in out


def test_the_api_answers_in_the_language_asked_for_with_the_same_result(mini_app) -> None:
    client = mini_app.test_client()
    answers = {"age_band": "adult", "mood_low": "nearly_every_day", "mood_interest": "several_days"}
    english = client.post("/api/v1/assessments", json={"answers": answers})
    spanish = client.post(
        "/api/v1/assessments", json={"answers": answers}, headers={"Accept-Language": "es-MX,es;q=0.9"}
    )
    assert spanish.status_code == 200
    assert spanish.headers["Content-Language"] == "es" and english.headers["Content-Language"] == "en"
    assert "Accept-Language" in spanish.headers["Vary"]
    assert without_texts(spanish.get_json()) == without_texts(english.get_json())
    assert spanish.get_json()["disclaimer"] == "Este es un conjunto de reglas de prueba."
    unknown = client.post("/api/v1/assessments", json={"answers": answers}, headers={"Accept-Language": "fr"})
    assert unknown.headers["Content-Language"] == "en" and unknown.get_data() == english.get_data()


def test_the_api_questionnaire_is_in_the_language_asked_for(mini_app) -> None:
    client = mini_app.test_client()
    spanish = client.get("/api/v1/questionnaire", headers={"Accept-Language": "es"}).get_json()
    english = client.get("/api/v1/questionnaire").get_json()
    assert spanish["pages"][0]["questions"][0]["text"] == "¿Qué edad tiene?"
    question_texts = frozenset(TEXT_KEYS | {"label", "short", "hint", "intro"})
    assert without_texts(spanish, keys=question_texts) == without_texts(english, keys=question_texts)


def test_the_fhir_questionnaire_carries_each_text_in_spanish_with_the_translation_extension(mini_app) -> None:
    from tests.fhirtools import validate

    client = mini_app.test_client()
    resource = client.get("/api/v1/fhir/Questionnaire").get_json()
    validate(resource)
    assert resource["language"] == "en"
    question = resource["item"][0]["item"][0]
    assert question["text"] == "How old are you?"
    [translation] = question["_text"]["extension"]
    assert translation == {
        "url": "http://hl7.org/fhir/StructureDefinition/translation",
        "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "¿Qué edad tiene?"}],
    }
    coding = question["answerOption"][0]["valueCoding"]
    assert coding["_display"]["extension"][0]["extension"][1]["valueString"] == "Menos de 18"
    assert resource["_title"]["extension"][0]["extension"][1]["valueString"] == "Revisión mínima"


def test_the_fhir_bundle_texts_follow_accept_language(mini_app) -> None:
    client = mini_app.test_client()
    answers = {"answers": {"age_band": "adult", "soon_flag": "yes"}}
    bundle = client.post(
        "/api/v1/assessments",
        json=answers,
        headers={"Accept": "application/fhir+json", "Accept-Language": "es"},
    )
    assert bundle.status_code == 200 and bundle.headers["Content-Language"] == "es"
    assert "Usted dijo que tiene la señal de pronto." in bundle.get_data(as_text=True)


@pytest.mark.parametrize(
    ("label", "brief"),
    [
        ("IBS (irritable bowel syndrome)", "IBS"),
        ("Triptans, such as sumatriptan", "Triptans"),
        ("Síndrome del intestino irritable (SII)", "SII"),
        ("Paracetamol, también llamado acetaminofén", "Paracetamol"),
        ("Calmantes AINE, como el ibuprofeno o el naproxeno", "Calmantes AINE"),
        ("Problemas de la ATM (articulación de la mandíbula)", "Problemas de la ATM"),
    ],
)
def test_the_summary_shortens_option_labels_in_either_language(label: str, brief: str) -> None:
    from questionnaire.highlights import brief_label

    assert brief_label(label) == brief
