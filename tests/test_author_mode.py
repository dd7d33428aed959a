"""The author mode at /author: edit texts and conditions, preview, check, save with a minimal diff (issue 13).

Mechanism tests on the small rule set of tests/fixtures/mini, so no content edit can break them.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from questionnaire import create_app
from tests.pagecheck import check_page


class Editor:
    """Use the author mode through the test client as a browser would: read the form, change fields, post."""

    def __init__(self, client) -> None:
        self.client = client
        self.response = None
        self.soup: BeautifulSoup | None = None

    def open(self, url: str) -> BeautifulSoup:
        self.response = self.client.get(url)
        assert self.response.status_code == 200, self.response.status_code
        self.soup = check_page(self.response.get_data(as_text=True))
        return self.soup

    def fields(self) -> list[tuple[str, str]]:
        form = self.soup.find("main").find("form", method="post")
        data = []
        for field in form.find_all(["input", "textarea", "select"]):
            name = field.get("name")
            if not name:
                continue
            if field.name == "textarea":
                data.append((name, field.get_text()))
            elif field.name == "select":
                chosen = field.find_all("option", selected=True) or field.find_all("option")[:1]
                data += [(name, option.get("value", "")) for option in chosen]
            elif field.get("type") in ("checkbox", "radio"):
                if field.has_attr("checked"):
                    data.append((name, field["value"]))
            else:
                data.append((name, field.get("value", "")))
        return data

    def post(self, action: str, change: dict[str, str | list[str]] | None = None, follow: bool = False):
        change = change or {}
        data = [(k, v) for k, v in self.fields() if k not in change]
        for key, value in change.items():
            data += [(key, v) for v in (value if isinstance(value, list) else [value])]
        url = self.soup.find("main").find("form", method="post")["action"]
        self.response = self.client.post(url, data=MultiDict([*data, ("action", action)]), follow_redirects=follow)
        if self.response.status_code != 303:
            self.soup = check_page(self.response.get_data(as_text=True))
        return self.response

    def text(self, element_id: str | None = None) -> str:
        node = self.soup.find(id=element_id) if element_id else self.soup.find("main")
        return " ".join(node.get_text(" ").split())


def changed_lines(before: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """Return, per file, the lines removed and added since before."""
    found = {}
    for path in sorted(folder.glob("*.yaml")):
        diff = difflib.unified_diff(before.get(path.name, "").splitlines(), path.read_text().splitlines(), lineterm="")
        lines = [x for x in diff if x[:1] in "+-" and not x.startswith(("+++", "---"))]
        if lines:
            found[path.name] = lines
    return found


@pytest.fixture
def editor(mini_app) -> Editor:
    return Editor(mini_app.test_client())


@pytest.fixture
def before(mini_rules) -> dict[str, str]:
    return {p.name: p.read_text() for p in mini_rules.dir.glob("*.yaml")}


def test_author_mode_is_a_404_in_production(tmp_path, mini_rules) -> None:
    app = create_app(
        {"ENV": "production", "SECRET_KEY": "p" * 40, "INSTANCE_PATH": str(tmp_path), "RULES_DIR": str(mini_rules.dir)}
    )
    client = app.test_client()
    for url in ("/author", "/author/try", "/author/question/mood_low"):
        assert client.get(url).status_code == 404
    assert client.post("/author/question/mood_low", data={"text": "x"}).status_code in (400, 404)


def test_the_index_lists_every_item_and_the_checks(editor) -> None:
    soup = editor.open("/author")
    links = {a["href"] for a in soup.find("main").find_all("a")}
    assert {
        "/author/question/mood_low",
        "/author/page/mood",
        "/author/rule/inactive",
        "/author/category/sleep",
    } <= links
    assert {"/author/notice/red-flag", "/author/ending/under-18", "/author/ruleset/ruleset"} & links
    assert "examples: " in editor.text() and "rule coverage: " in editor.text()


def test_editing_a_question_text_previews_then_saves_only_that_line_and_the_version(editor, mini_rules, before) -> None:
    editor.open("/author/question/mood_low")
    editor.post("preview", {"text": "How often have you felt down?"})
    assert editor.response.status_code == 200
    assert "-        text: How often have you felt low?" in editor.text(
        "diff"
    ) or "How often have you felt low?" in editor.text("diff")
    assert "How often have you felt down?" in editor.text("item-preview")
    assert mini_rules.text("questions.yaml") == before["questions.yaml"], "a preview must write nothing"
    response = editor.post("save")
    assert response.status_code == 303
    saved = editor.open(response.headers["Location"])
    assert "Saved. The version is now 1.1" in editor.text()
    assert saved.find(class_="author-saved").find(id="report-title")
    assert changed_lines(before, mini_rules.dir) == {
        "questions.yaml": [
            "-        text: How often have you felt low?",
            "+        text: How often have you felt down?",
        ],
        "ruleset.yaml": ['-version: "1.0"', '+version: "1.1"'],
    }


def test_an_english_edit_names_the_texts_to_translate_and_still_saves(editor, mini_rules) -> None:
    editor.open("/author/question/mood_low")
    editor.post("preview", {"text": "How often have you felt down?"})
    listed = editor.text("to-translate")
    assert "the English of the text of question 'mood_low' changed since it was translated" in listed
    assert editor.post("save").status_code == 303


def test_a_condition_is_built_from_pick_lists(editor, mini_rules, before) -> None:
    soup = editor.open("/author/rule/inactive")
    question = soup.find("select", attrs={"name": "when-0-question"})
    assert {o["value"] for o in question.find_all("option")} >= {"age_band", "mood_low", "exercise_days"}
    assert [i["value"] for i in soup.find_all("input", attrs={"name": "when-0-values"})] == ["none", "some"]
    editor.post("preview", {"when-0-op": "one_of", "when-0-values": ["none"]})
    assert editor.response.status_code == 200, editor.text()
    editor.post("save")
    assert changed_lines(before, mini_rules.dir)["rules.yaml"] == [
        "-    when: {question: exercise_days, equals: none}",
        "+    when: {question: exercise_days, one_of: [none]}",
    ]


def test_changing_the_question_updates_the_answer_list(editor) -> None:
    editor.open("/author/rule/inactive")
    editor.post("refresh", {"when-0-question": "mood_low"})
    values = [i["value"] for i in editor.soup.find_all("input", attrs={"name": "when-0-values"})]
    assert values == ["not_at_all", "several_days", "more_than_half", "nearly_every_day"]
    editor.post("add-when")
    assert editor.soup.find("select", attrs={"name": "when-1-question"})


def test_a_breaking_edit_is_refused_with_the_reason_and_nothing_written(editor, mini_rules, before) -> None:
    editor.open("/author/rule/inactive")
    editor.post("preview", {"when-0-values": ["some"]})
    assert editor.response.status_code == 400
    assert "inactive[1]: expected rule 'inactive' to fire, but it stayed silent" in editor.text()
    assert editor.soup.find("button", attrs={"value": "save"}) is None
    editor.post("save")  # even a forced save is refused
    assert editor.response.status_code == 400
    assert "Nothing was saved" in editor.text()
    assert changed_lines(before, mini_rules.dir) == {}


def test_an_empty_required_text_is_refused(editor, mini_rules, before) -> None:
    editor.open("/author/question/mood_low")
    editor.post("preview", {"text": "  "})
    assert editor.response.status_code == 400
    assert "Question: write something here" in editor.text()
    assert changed_lines(before, mini_rules.dir) == {}


def test_a_file_changed_since_the_form_was_opened_is_not_overwritten(editor, mini_rules) -> None:
    editor.open("/author/question/mood_low")
    mini_rules.replace("questions.yaml", "title: Mood", "title: Your mood")  # someone else saves meanwhile
    editor.post("save", {"text": "How often have you felt down?"})
    assert editor.response.status_code == 409
    assert "questions.yaml changed since you opened this form" in editor.text()
    assert "title: Your mood" in mini_rules.text("questions.yaml")
    assert "felt down" not in mini_rules.text("questions.yaml")


def test_every_form_needs_its_csrf_token(editor, mini_app) -> None:
    client = mini_app.test_client()
    assert client.post("/author/question/mood_low", data={"text": "x", "action": "save"}).status_code == 400
    assert client.post("/author/try", data={"a-age_band": "adult"}).status_code == 400


def test_education_keeps_its_block_style_and_the_comments(editor, mini_rules, before) -> None:
    soup = editor.open("/author/category/sleep")
    old = soup.find("textarea", attrs={"name": "education"}).get_text()
    first = old.splitlines()[0]
    editor.post("preview", {"education": old.replace(first, "Sleep that leaves you tired is common.", 1)})
    assert "Sleep that leaves you tired is common." in editor.text("item-preview")
    editor.post("save")
    lines = changed_lines(before, mini_rules.dir)["categories.yaml"]
    assert lines == [f"-      {first}", "+      Sleep that leaves you tired is common."]
    text = mini_rules.text("categories.yaml")
    assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == [
        line for line in before["categories.yaml"].splitlines() if line.lstrip().startswith("#")
    ]


def test_the_walk_follows_the_branching_with_the_picks(editor) -> None:
    editor.open("/author/try")
    editor.post("preview", {"a-age_band": "under_18"})
    assert "The questionnaire ends early" in editor.text()
    assert "Hidden for these answers" in editor.text()
    editor.open("/author/try")
    editor.post("preview", {"a-age_band": "adult", "a-exercise_days": "none"})
    assert "Hidden for these answers" not in editor.text()
    assert any("You said you are active on no days." in li.get_text() for li in editor.soup.select("#walk-topics li"))


def test_preview_says_who_sees_a_page(tmp_path, mini_rules) -> None:
    mini_rules.replace(
        "questions.yaml", "    title: Habits\n", "    title: Habits\n    show_if: {question: age_band, equals: adult}\n"
    )
    app = create_app({"SECRET_KEY": "s" * 40, "INSTANCE_PATH": str(tmp_path / "i"), "RULES_DIR": str(mini_rules.dir)})
    soup = check_page(app.test_client().get("/preview").get_data(as_text=True))
    assert "Habits (shown only when ‘Age’ is: 18 or older)" in " ".join(soup.find("main").get_text(" ").split())


def test_unknown_items_are_not_found_and_an_odd_file_is_refused_not_rewritten(editor, mini_rules) -> None:
    assert editor.client.get("/author/widget/x").status_code == 404
    assert editor.client.get("/author/question/no_such_question").status_code == 404
    mini_rules.replace("questions.yaml", "questions: [mood_low, mood_interest]", "questions: [mood_low,mood_interest]")
    response = editor.client.get("/author/question/mood_low")
    assert response.status_code == 400
    assert "cannot be edited here without changing its layout" in response.get_data(as_text=True)


def test_in_spanish_the_author_mode_speaks_spanish_and_marks_the_english_rule_files(mini_app) -> None:
    client = mini_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    editor = Editor(client)

    soup = editor.open("/author")
    assert soup.html["lang"] == "es"
    main = soup.find("main")
    assert not main.has_attr("lang"), "the page's own words follow the chosen language"
    assert main.find("h1").get_text() == "Modo de edición"
    assert "ejemplos: " in editor.text() and "cobertura de las reglas: " in editor.text()
    assert main.find("ul", class_="author-problems")["lang"] == "en", "check's messages are English by design"
    page_link = main.find("a", href="/author/page/mood")
    assert page_link.get_text() == "Página: Mood"
    assert page_link.find("span", lang="en").get_text() == "Mood", "the English file's title is marked"

    soup = editor.open("/author/question/mood_low")
    main = soup.find("main")
    assert main.find("h1").get_text() == "Editar pregunta mood_low"
    assert main.find("button", value="preview").get_text() == "Ver el cambio antes de guardar"
    text = main.find("input", attrs={"name": "text"})
    assert text["value"] == "How often have you felt low?" and text["lang"] == "en"
    assert main.find("input", attrs={"name": "options-0-label"})["lang"] == "en"

    editor.post("preview", {"text": "How often have you felt down?"})
    main = editor.soup.find("main")
    assert main.find("h1").get_text() == "Vista previa de su cambio en pregunta mood_low"
    assert main.find("button", value="save").get_text() == "Guardar este cambio"
    assert main.find(id="diff")["lang"] == "en"
    item = main.find(id="item-preview")
    assert item["lang"] == "en" and "How often have you felt down?" in item.get_text()
    assert main.find(id="to-translate").find("ul")["lang"] == "en"

    editor.open("/author/try")
    editor.post("preview", {"a-age_band": "under_18"})
    assert "El cuestionario termina antes" in editor.text()
    assert "Oculta con estas respuestas" in editor.text()


def test_in_english_the_author_mode_marks_nothing(editor) -> None:
    soup = editor.open("/author/question/mood_low")
    assert soup.html["lang"] == "en"
    assert not soup.find("main").find_all(lang=True), 'lang="en" is only for English on a page in another language'
