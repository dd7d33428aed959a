"""Hostile rule files: refused with a clear file:line error; hostile Markdown renders inert, end to end."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from questionnaire import create_app
from questionnaire.answerfile import sample
from questionnaire.loader import load_ruleset
from questionnaire.markdown import render
from questionnaire.problems import RuleSetError
from questionnaire.yamlsource import MAX_DEPTH, MAX_FILE_BYTES
from tests.pagecheck import Person, check_page

CALM = sample("calm")
HEADACHE_NO_FLAGS = sample("parts/no-headache-warning-signs")

ROOT = Path(__file__).resolve().parent.parent

# What must never reach a page from rule-file text (compared case-insensitively).
DANGEROUS = (
    "<script",
    "javascript:",
    "vbscript:",
    "data:text",
    "onerror=",
    "onclick=",
    "onmouseover=",
    "onload=",
    "<iframe",
    "<img",
    "<style",
    "<object",
    "<embed",
    "<svg",
    "<form",
    " style=",
)

# A page has forms and a stylesheet link of its own; none of these may come from rule text.
ON_A_PAGE = (*(d for d in DANGEROUS if d not in ("<form", " style=")), "evil.example")


def refused(rules_copy) -> list:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(rules_copy.dir)
    return info.value.problems


def only_problem(rules_copy, filename: str) -> object:
    problems = refused(rules_copy)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.file.endswith(filename)
    return problem


# --- YAML ----------------------------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
)


def test_an_alias_bomb_is_refused_quickly(rules_copy) -> None:
    rules_copy.write("questions.yaml", BILLION_LAUGHS + "\npages: *l9\n")
    problem = only_problem(rules_copy, "questions.yaml")
    assert problem.line == 2 and "anchors and aliases (& and *) are not allowed" in problem.message


def test_an_alias_inside_real_content_is_refused(rules_copy) -> None:
    line = rules_copy.replace("categories.yaml", "    evidence: moderate\n", "    evidence: &strength moderate\n")
    text = rules_copy.text("categories.yaml")
    second = text.index("    evidence:", text.index("&strength") + 1)
    end = text.index("\n", second)
    rules_copy.write("categories.yaml", text[:second] + "    evidence: *strength" + text[end:])
    problem = only_problem(rules_copy, "categories.yaml")
    assert problem.line > line and "anchors and aliases" in problem.message


def test_a_merge_key_is_refused(rules_copy) -> None:
    rules_copy.write("ruleset.yaml", rules_copy.text("ruleset.yaml") + "base: &b {x: 1}\nother:\n  <<: *b\n")
    assert "anchors and aliases" in only_problem(rules_copy, "ruleset.yaml").message


def test_a_huge_file_is_refused_before_it_is_parsed(rules_copy) -> None:
    rules_copy.write("categories.yaml", rules_copy.text("categories.yaml") + "#" * MAX_FILE_BYTES + "\n")
    problem = only_problem(rules_copy, "categories.yaml")
    assert f"the limit is {MAX_FILE_BYTES:,}" in problem.message and problem.line == 1


def test_deep_flow_nesting_is_refused(rules_copy) -> None:
    depth = MAX_DEPTH + 10
    deep = "{all: [" * depth + "{question: sleep_quality, equals: poor}" + "]}" * depth
    line = rules_copy.replace(
        "rules.yaml", "when: {question: sleep_quality, one_of: [poor, very_poor]}", f"when: {deep}"
    )
    problem = only_problem(rules_copy, "rules.yaml")
    assert problem.line == line and f"nesting is deeper than {MAX_DEPTH} levels" in problem.message


def test_deep_block_nesting_is_refused(rules_copy) -> None:
    depth = MAX_DEPTH + 10
    block = "".join(f"{'  ' * i}level{i}:\n" for i in range(depth)) + "  " * depth + "end\n"
    start = len(rules_copy.text("ruleset.yaml").splitlines()) + 1
    rules_copy.write("ruleset.yaml", rules_copy.text("ruleset.yaml") + block)
    problem = only_problem(rules_copy, "ruleset.yaml")
    assert f"nesting is deeper than {MAX_DEPTH} levels" in problem.message
    assert start + MAX_DEPTH - 1 <= problem.line <= start + MAX_DEPTH + 1


@pytest.mark.parametrize("compact", ["- ", "? ", "- ? "])
def test_very_deep_compact_block_nesting_is_refused_without_crashing(rules_copy, tmp_path, compact) -> None:
    """100,000 levels of "- - - ..." (200 KB) once overflowed the C stack: a segfault, not an error.

    Run in a separate process, so a regression shows as a failed test rather than a dead test run.
    """
    rules_copy.write("urgent.yaml", "urgent:\n  " + compact * 100_000 + "x\n")
    answers = tmp_path / "answers.yaml"
    answers.write_text("sleep_quality: poor\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "questionnaire", "assess", str(answers), "--rules", str(rules_copy.dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert "urgent.yaml:2:" in result.stderr + result.stdout
    assert f"nesting is deeper than {MAX_DEPTH} levels" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("filename", "old", "new"),
    [
        ("rules.yaml", "category: sleep", "category: !!python/object/apply:os.system ['touch {marker}']"),
        ("rules.yaml", "weight: 3", "weight: !!python/object/new:os.system [touch {marker}]"),
        ("questions.yaml", "title: About you", "title: !!python/name:os.system"),
        ("categories.yaml", "evidence: moderate", "evidence: !!python/module:os"),
        ("ruleset.yaml", "name:", "other: !!binary aGVsbG8=\nname:"),
        ("urgent.yaml", "    tier: emergency", "    tier: !custom emergency"),
        ("urgent.yaml", "urgent:", "urgent: !!set"),
        ("categories.yaml", "categories:", "categories: !!python/tuple"),
    ],
)
def test_tags_are_refused_and_never_run(rules_copy, tmp_path, filename, old, new) -> None:
    marker = tmp_path / "ran"
    line = rules_copy.replace(filename, old, new.format(marker=marker))
    problems = refused(rules_copy)
    tagged = [p for p in problems if "is not allowed" in p.message and p.file.endswith(filename)]
    assert tagged, [str(p) for p in problems]
    assert tagged[0].line >= line and "the tag" in tagged[0].message
    assert not marker.exists()


# --- Markdown ----------------------------------------------------------------------------------------

HOSTILE_MARKDOWN = [
    "<script>alert(1)</script>",
    "Text <script>alert(1)</script> more",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)" onclick="alert(2)">raw link</a>',
    '<div onmouseover="alert(1)">hover</div>',
    "<iframe src=https://evil.example></iframe>",
    "<style>body { display: none }</style>",
    '<svg onload="alert(1)"><circle r=1 /></svg>',
    "<object data=x></object><embed src=x>",
    '<form action="https://evil.example"><input name=x></form>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](javascript:alert(1))",
    "![image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[ref][bad]\n\n[bad]: javascript:alert(1)",
    '[title](https://ok.example "onerror=alert(1)")',
    "<!-- <script>alert(1)</script> -->",
    "`<script>alert(1)</script>` in code",
    "```\n<script>alert(1)</script>\n```",
]


ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "blockquote", "h3", "h4", "code", "pre"}


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN)
def test_hostile_markdown_renders_inert(text) -> None:
    """Only allow-listed tags and attributes come out, links only to https, http or mailto."""
    html = render(text)
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in ALLOWED_TAGS, html
        assert set(tag.attrs) <= {"href", "title", "rel"}, html
        if tag.name == "a":
            assert tag["href"].startswith(("https://", "http://", "mailto:")), html
    assert "<script" not in html.lower()
    if "`" in text:
        return  # code is shown as text, escaped, which is what an author writing code wants
    # Refused markup is dropped, not shown as text either (an attribute value such as a title may quote it).
    assert not [
        t for t in ("onerror=", "onclick=", "onmouseover=", "onload=", "<script") if t in soup.get_text().lower()
    ]


def test_safe_markdown_still_renders() -> None:
    html = render(
        "Some **bold**, *em*\n\n- one\n- two\n\n### Head\n\n[NHS](https://www.nhs.uk/) and <https://example.org/x> "
        "and [mail](mailto:help@example.org)"
    )
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html and "<li>one</li>" in html
    assert "<h3>Head</h3>" in html
    assert '<a href="https://www.nhs.uk/" rel="noopener noreferrer">NHS</a>' in html
    assert '<a href="https://example.org/x" rel="noopener noreferrer">https://example.org/x</a>' in html
    assert 'href="mailto:help@example.org"' in html


def test_a_refused_link_keeps_its_words_and_loses_its_address() -> None:
    assert render("Read [this page](javascript:alert(1)) now") == "<p>Read this page now</p>"
    assert render("See [here](/relative/page)") == "<p>See here</p>"  # relative links have nowhere to go


HOSTILE_EDUCATION = """
Sleep tip one. <script>alert(1)</script> <img src=x onerror=alert(1)>

[Click here](javascript:alert(1)) and [a data link](data:text/html;base64,PHNjcmlwdD4=) and
<a href="#" onclick="alert(1)">a raw link</a>.

<script>
alert(2)
</script>

<div onmouseover="alert(3)">hover</div>

<iframe src="https://evil.example/"></iframe><style>body { display: none }</style>

![x](javascript:alert(4)) <javascript:alert(5)> [Sleep tip two][bad]

[bad]: javascript:alert(6)

Read more at [the NHS](https://www.nhs.uk/conditions/fibromyalgia/).
"""


def test_hostile_rule_text_is_inert_on_every_page(rules_copy, tmp_path) -> None:
    """A category education text and an urgent message full of script reach the pages harmless."""
    text = rules_copy.text("categories.yaml")
    start = text.index("\n", text.index("    education: |", text.index("  - id: sleep\n"))) + 1
    end = text.index("\n    things_to_try:", start)
    rules_copy.write("categories.yaml", text[:start] + textwrap.indent(HOSTILE_EDUCATION.strip(), " " * 6) + text[end:])
    hostile_message = (
        "      Call now. <script>alert(7)</script> [help](javascript:alert(8)) <img src=x onerror=alert(9)>\n"
    )
    urgent = rules_copy.text("urgent.yaml")
    start = urgent.index("\n", urgent.index("    message: |", urgent.index("  - id: thunderclap-headache\n"))) + 1
    rules_copy.write("urgent.yaml", urgent[:start] + hostile_message + urgent[start:])
    app = create_app({"SECRET_KEY": "x" * 40, "INSTANCE_PATH": str(tmp_path / "i"), "RULES_DIR": str(rules_copy.dir)})
    answers = {**CALM, "sleep_quality": "very_poor", "headaches": "weekly", **HEADACHE_NO_FLAGS}
    answers.update(headache_triggers=["stress"], treatments_tried=["nsaids"], treatment_result_nsaids="partly")
    answers["sudden_severe_headache"] = "yes"
    person = Person(app.test_client())
    person.walk(answers)
    assert person.path == "/urgent"
    pages = {"urgent": person.response.get_data(as_text=True)}
    person.press("Carry on with the questions")
    for _ in range(30):  # the pages after the urgent exit
        if not person.path.startswith("/questions/"):
            break
        person.answer(person.page_answers(answers))
    assert person.path == "/check"
    for url in ("/results", "/summary", "/preview"):
        response = person.client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
    results = check_page(pages["/results"])
    sleep = results.find(id="sleep")
    assert sleep is not None, "the sleep section with the hostile text was not shown"
    words = " ".join(sleep.get_text(" ").split())
    assert "Sleep tip one." in words and "Click here" in words and "Sleep tip two" in words
    assert sleep.find("a", href="https://www.nhs.uk/conditions/fibromyalgia/")
    assert "Call now." in pages["urgent"] and "Call now." in pages["/results"]
    for name, html in pages.items():
        # The one script a page may load is the site's own static file (the Print button).
        lowered = html.lower().replace('<script src="/static/print.js" defer></script>', "")
        for bad in ON_A_PAGE:
            assert bad not in lowered, (name, bad)
