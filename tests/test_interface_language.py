"""The interface in Spanish: every string translated, the language chosen and switched, answers kept.

Spanish is offered only when the rules holder reports its content complete (rules/locales/es/);
the ``spanish`` fixture says so plainly when it is not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from tests.clinicpeople import Patient, Staff
from tests.pagecheck import Person

ROOT = Path(__file__).resolve().parent.parent
SPANISH_PO = ROOT / "questionnaire" / "web" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"</?\w+")


def app_for(rules: Path, tmp_path: Path):
    """Return an app serving the rules in this folder."""
    from questionnaire import create_app

    secret = "test-secret-" + "x" * 32
    return create_app(
        {"TESTING": True, "SECRET_KEY": secret, "INSTANCE_PATH": str(tmp_path / "i"), "RULES_DIR": str(rules)}
    )


@pytest.fixture
def spanish(app) -> None:
    """Require the content's Spanish to be complete, so the rules holder offers it."""
    with app.app_context():
        offered = app.extensions["rules"].languages()
    assert "es" in offered, "rules/locales/es is incomplete: python -m questionnaire check rules says what is missing"


def fresh_template(tmp_path: Path) -> list:
    """Extract the interface text from the code as it is now, as `make messages` does."""
    pot = tmp_path / "messages.pot"
    keywords = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_pgettext:1c,2", "-k", "lazy_ngettext:1,2"]
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), *keywords, "-o", str(pot), str(ROOT)]
    )
    with pot.open("rb") as f:
        return [m for m in read_po(f) if m.id]


def spanish_catalogue():
    with SPANISH_PO.open("rb") as f:
        return read_po(f)


def forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_every_interface_string_has_a_spanish_translation(tmp_path: Path) -> None:
    catalogue = spanish_catalogue()
    messages = fresh_template(tmp_path)
    assert len(messages) > 250, "too few strings were extracted; is babel.cfg right?"
    problems = []
    for message in messages:
        where = ", ".join(f"{file}:{line}" for file, line in message.locations)
        found = catalogue.get(message.id, message.context)
        if found is None:
            problems.append(f"{where}: no Spanish entry for {message.id!r} (run `make messages`, then translate it)")
        elif "fuzzy" in found.flags or not all(forms(found)):
            problems.append(f"{where}: the Spanish for {message.id!r} is missing or marked fuzzy")
    assert not problems, "\n".join(problems)


def test_spanish_keeps_every_placeholder_and_tag() -> None:
    problems = []
    for message in spanish_catalogue():
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(" ".join(english)))
        tags = sorted(TAG.findall(english[0]))
        for text in forms(message):
            # A plural's singular may leave out the number ("un tema"), never add a name.
            names = set(PLACEHOLDER.findall(text))
            if names - wanted or (wanted - names) - {"num", "count"}:
                problems.append(f"{message.id!r}: placeholders {sorted(names)} instead of {sorted(wanted)}")
            if sorted(TAG.findall(text)) != tags:
                problems.append(f"{message.id!r}: tags {TAG.findall(text)} instead of {tags}")
    assert not problems, "\n".join(problems)


def test_english_browsers_get_english_and_a_link_to_spanish(client, spanish) -> None:
    person = Person(client)
    soup = person.get("/")
    assert soup.html["lang"] == "en"
    assert "Start now" in person.text
    link = soup.find("a", class_="language-link")
    assert link.get_text() == "Español" and link["lang"] == "es"
    assert soup.find(class_="translation-review") is None


def test_a_spanish_browser_gets_the_interface_in_spanish(client, spanish) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es-US,es;q=0.9,en;q=0.5"
    person = Person(client)
    soup = person.get("/")
    assert soup.html["lang"] == "es"
    assert "Empezar ahora" in person.text and "Start now" not in person.text
    assert soup.find("a", class_="skip-link").get_text() == "Ir al contenido principal"
    link = soup.find("a", class_="language-link")
    assert link.get_text() == "English" and link["lang"] == "en"


def test_an_unreviewed_translation_says_so_in_the_footer(client, spanish) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    note = Person(client).get("/").find(class_="translation-review")
    assert note is not None and "traductor médico calificado" in note.get_text()


def test_a_reviewed_translation_has_no_such_note(rules_copy, tmp_path) -> None:
    rules_copy.replace("ruleset.yaml", "    reviewed: false", '    reviewed: true\n    reviewed_on: "2026-12-01"')
    client = app_for(rules_copy.dir, tmp_path).test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    soup = Person(client).get("/")
    assert soup.html["lang"] == "es" and soup.find(class_="translation-review") is None


def test_a_language_without_complete_content_is_not_offered(rules_copy, tmp_path) -> None:
    # One Spanish text taken out: no switch and no Spanish anywhere, rather than a page half in English.
    rules_copy.replace(
        "locales/es/ruleset.po",
        'msgctxt "word/and"\nmsgid "and"\nmsgstr "y"',
        'msgctxt "word/and"\nmsgid "and"\nmsgstr ""',
    )
    client = app_for(rules_copy.dir, tmp_path).test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    soup = Person(client).get("/")
    assert soup.html["lang"] == "en" and soup.find("a", class_="language-link") is None


def test_switching_language_halfway_keeps_every_answer(client, spanish) -> None:
    person = Person(client)
    person.get("/")
    person.follow_link("Start now")
    first = person.path
    chosen = {}
    for fieldset in person.soup.find("main").find_all("fieldset"):
        box = fieldset.find("input", class_="choice-input")
        chosen[box["name"]] = box["value"]
    person.answer(chosen)
    second = person.path
    assert second != first
    # No JavaScript: the switch is a plain link back to the same page.
    person.follow_link("Español")
    assert person.path == second and person.soup.html["lang"] == "es"
    assert person.soup.find("a", class_="language-link").get_text() == "English"
    person.get(first)
    assert person.soup.html["lang"] == "es"
    for name, value in chosen.items():
        assert person.soup.find("input", attrs={"name": name, "value": value}).has_attr("checked"), name
    # and back: still every answer, now in English
    person.follow_link("English")
    assert person.path == first and person.soup.html["lang"] == "en"
    for name, value in chosen.items():
        assert person.soup.find("input", attrs={"name": name, "value": value}).has_attr("checked"), name


def test_the_chosen_language_outranks_the_browser(client, spanish) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    person = Person(client)
    person.get("/")
    person.follow_link("English")
    assert person.soup.html["lang"] == "en"
    assert person.get("/").html["lang"] == "en"


@pytest.mark.parametrize("next_url", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_the_switch_only_returns_to_this_site(client, spanish, next_url: str) -> None:
    response = client.get("/language", query_string={"lang": "es", "next": next_url})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_an_unknown_language_changes_nothing(client, spanish) -> None:
    response = client.get("/language", query_string={"lang": "xx", "next": "/"})
    assert response.status_code == 303
    assert Person(client).get("/").html["lang"] == "en"


def test_spanish_errors_come_from_the_catalogue(client, spanish) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    person = Person(client)
    person.get("/no-such-page", expect=404)
    assert "No se encontró la página" in person.text


def test_the_clinician_chooses_a_language_apart_from_the_patient(clinic_app) -> None:
    staff = Staff(clinic_app.test_client())
    assert staff.sign_in("north@example.org").status_code == 303
    link = staff.invite("Ref 16")
    patient = Patient(clinic_app.test_client())
    patient.get(link)
    patient.press("Start now")
    question = patient.path
    patient.follow_link("Español")
    assert patient.path == question and patient.soup.html["lang"] == "es"
    # kept in the draft, beside the answers: the cookie still holds only the invitation's id
    assert set(clinic_app.session_interface.read(patient.client.get_cookie("fq_session").value)) == {
        "csrf_token",
        "inv",
        "_permanent",
    }
    staff.get("/clinic/submissions")
    assert staff.soup.html["lang"] == "en" and "Submissions" in staff.text
    staff.follow_link("Español")
    assert staff.path == "/clinic/submissions" and staff.soup.html["lang"] == "es"
    assert "Envíos" in staff.text
    patient.get(question)
    assert patient.soup.html["lang"] == "es"
    patient.follow_link("English")
    staff.get("/clinic/invitations")
    assert staff.soup.html["lang"] == "es" and "Crear un enlace de invitación" in staff.text
