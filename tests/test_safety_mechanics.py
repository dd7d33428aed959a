"""Urgency tiers, crisis notices, scores, endings, retired questions, sections and regions.

These run on the small rule set in tests/fixtures/mini, so they hold whatever the real content says.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from questionnaire.answers import parse_answers, retired_notes
from questionnaire.engine import assess
from questionnaire.flow import ending, visible_pages
from questionnaire.loader import load_ruleset
from questionnaire.problems import RuleSetError
from tests.pagecheck import Person, check_page

ADULT_CALM = {
    "age_band": "adult",
    "mood_low": "not_at_all",
    "mood_interest": "not_at_all",
    "red_flag": "no",
    "today_flag": "no",
    "soon_flag": "no",
    "exercise_days": "some",
}


@pytest.fixture
def mini(mini_rules):
    return load_ruleset(mini_rules.dir)


def answers(ruleset, **raw):
    parsed, problems = parse_answers(ruleset.questions, {**ADULT_CALM, **raw}, ruleset.retired)
    assert not problems, problems
    return parsed


# --- tiers -------------------------------------------------------------------------------------


def test_tiers_rank_emergency_then_today_then_soon(mini) -> None:
    result = assess(mini, answers(mini, soon_flag="yes", today_flag="yes", red_flag="yes"))
    assert [m.notice.tier for m in result.urgent] == ["emergency", "today", "soon"]
    assert result.urgent_tier == "emergency"
    result = assess(mini, answers(mini, soon_flag="yes", today_flag="yes"))
    assert result.urgent_tier == "today"


def test_notices_carry_their_sources_and_crisis_flag_in_the_json(mini) -> None:
    data = assess(mini, answers(mini, mood_low="nearly_every_day")).to_dict()
    crisis = next(n for n in data["urgent"] if n["id"] == "crisis")
    assert crisis["tier"] == "today"
    assert crisis["crisis"] is True
    assert crisis["sources"] == [{"name": "988 Lifeline", "url": "https://988lifeline.org"}]


def test_an_urgent_notice_without_sources_is_refused_with_its_line(mini_rules) -> None:
    text = mini_rules.text("urgent.yaml")
    start = text.index("  - id: soon-sign")
    line = text.count("\n", 0, start) + 1
    cut = text[start:].replace(
        '    sources: [{name: "NHS: Headaches", url: "https://www.nhs.uk/conditions/headaches/"}]\n', ""
    )
    mini_rules.write("urgent.yaml", text[:start] + cut)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(mini_rules.dir)
    assert f"urgent.yaml:{line}:" in info.value.report()
    assert "add the key 'sources'" in info.value.report()


# --- scores ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "interest", "total", "fires"),
    [
        ("not_at_all", "not_at_all", 0, False),
        ("several_days", "several_days", 2, False),
        ("more_than_half", "several_days", 3, True),
        ("nearly_every_day", "nearly_every_day", 6, True),
    ],
)
def test_a_score_adds_up_the_chosen_options(mini, low, interest, total, fires) -> None:
    result = assess(mini, answers(mini, mood_low=low, mood_interest=interest))
    assert result.scores == {"phq2": total}
    assert ("stress" in [m.category.id for m in result.categories]) is fires
    assert result.to_dict()["scores"] == [
        {
            "id": "phq2",
            "title": "PHQ-2 total",
            "total": total,
            "maximum": 6,
            "note": "A screening result, not a diagnosis.",
        }
    ]


def test_a_score_is_not_worked_out_until_every_question_is_answered(mini) -> None:
    partial = {k: v for k, v in answers(mini, mood_low="nearly_every_day").items() if k != "mood_interest"}
    result = assess(mini, partial)
    assert result.scores == {}
    assert "stress" not in [m.category.id for m in result.categories]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            (
                "questions.yaml",
                "  - id: habits\n    title: Habits\n",
                "  - id: habits\n    title: Habits\n    show_if: {score: phq2, at_least: 1}\n",
            ),
            "a score cannot decide whether a page or question is shown",
        ),
        (("rules.yaml", "at_least: 3", "at_least: 7"), "more than the highest possible score (6)"),
        (("rules.yaml", "score: phq2", "score: phq9"), "unknown score 'phq9' (did you mean 'phq2'?)"),
        (
            ("questions.yaml", "label: Several days, score: 1, phrase", "label: Several days, phrase"),
            "has options without a score (several_days)",
        ),
    ],
)
def test_score_mistakes_are_refused_with_a_plain_message(mini_rules, edit, message) -> None:
    line = mini_rules.replace(*edit)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(mini_rules.dir)
    report = info.value.report()
    assert message in report
    assert any(p.line >= line for p in info.value.problems), report


# --- option phrases ----------------------------------------------------------------------------


def test_reasons_quote_an_options_phrase(mini) -> None:
    result = assess(mini, answers(mini, exercise_days="none", mood_low="several_days", mood_interest="more_than_half"))
    reasons = {r.rule_id: r.text for m in result.categories for r in m.reasons}
    assert reasons["inactive"] == "You said you are active on no days."
    assert reasons["low-mood"] == "You said you felt low on several days."


# --- endings -----------------------------------------------------------------------------------


def test_an_ending_stops_the_questionnaire_after_its_page(mini) -> None:
    young = answers(mini, age_band="under_18")
    assert [p.id for p in visible_pages(mini, young)] == ["about"]
    assert ending(mini, young).id == "under-18"
    result = assess(mini, young)
    assert result.ending.id == "under-18"
    assert result.categories == [] and result.sections == []
    assert list(result.answers) == ["age_band"]  # answers after the ending are not used
    assert assess(mini, answers(mini)).ending is None


def test_the_web_questionnaire_ends_kindly_for_under_18s(mini_app) -> None:
    client = mini_app.test_client()
    person = Person(client)
    person.get("/")
    person.follow_link("Start now")
    person.answer({"age_band": "under_18"})
    assert person.path == "/ended"
    assert person.soup.find("h1").get_text(strip=True) == "This check is for adults"
    assert "Please talk to an adult you trust." in person.text
    assert person.soup.find("a", href="https://findahelpline.com"), "no help for young people on the ending page"
    for later in ("/questions/mood", "/check", "/results", "/summary"):
        response = client.get(later)
        assert response.status_code == 302 and response.headers["Location"] == "/ended", later
    person.follow_link("Change your answer")
    assert person.path == "/questions/about"
    person.answer({"age_band": "adult"})
    assert person.path == "/questions/mood"


# --- retired questions -------------------------------------------------------------------------


def test_answers_to_a_retired_question_are_accepted_and_noted(mini) -> None:
    raw = {**ADULT_CALM, "old_question": "anything"}
    parsed, problems = parse_answers(mini.questions, raw, mini.retired)
    assert problems == []
    assert "old_question" not in parsed
    notes = retired_notes(mini.retired, raw)
    assert [(n.question, n.message) for n in notes] == [
        ("old_question", "this question is no longer asked, so its answer was not used. Use red_flag instead.")
    ]


def test_the_api_and_cli_accept_a_retired_question_with_a_note(mini_app, mini_rules, tmp_path) -> None:
    body = {"answers": {**ADULT_CALM, "old_question": "yes"}}
    response = mini_app.test_client().post("/api/v1/assessments", json=body)
    assert response.status_code == 200
    api_notes = response.get_json()["notes"]
    assert [n["question"] for n in api_notes] == ["old_question"]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(body["answers"]), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "questionnaire", "assess", str(path), "--rules", str(mini_rules.dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "note: old_question: this question is no longer asked" in done.stderr
    assert json.loads(done.stdout)["notes"] == api_notes


def test_a_retired_question_still_on_a_page_is_refused(mini_rules) -> None:
    line = mini_rules.replace("questions.yaml", "  - id: old_question", "  - id: soon_flag")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(mini_rules.dir)
    assert f"questions.yaml:{line}:" in info.value.report()
    assert "'soon_flag' is still asked on page 'signs'" in info.value.report()


# --- sections ----------------------------------------------------------------------------------


def test_for_everyone_is_on_every_results_page_with_parts_for_some_people(mini) -> None:
    active = assess(mini, answers(mini))
    assert [m.section.id for m in active.sections] == ["for-everyone", "only-some"]
    assert [p.text for p in active.sections[0].parts] == ["This part is for everyone."]
    inactive = assess(mini, answers(mini, exercise_days="none"))
    assert [m.section.id for m in inactive.sections] == ["for-everyone"]
    assert inactive.sections[0].parts[0].text == "This part is only for people who are not active."


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("id: for-everyone", "id: for-some", "add the section 'for-everyone'"),
        ("id: only-some", "id: stress", "the section id 'stress' is also a topic or page element id"),
        (
            "  - id: for-everyone\n    title: What helps most people\n",
            "  - id: for-everyone\n    title: What helps most people\n    when: {question: age_band, equals: adult}\n",
            "the section 'for-everyone' is shown to everyone; remove its 'when'",
        ),
    ],
)
def test_section_mistakes_are_refused(mini_rules, old, new, message) -> None:
    mini_rules.replace("sections.yaml", old, new)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(mini_rules.dir)
    assert message in info.value.report()


# --- the urgent page ---------------------------------------------------------------------------


def walk_to_signs(client) -> Person:
    person = Person(client)
    person.get("/")
    person.follow_link("Start now")
    person.answer({"age_band": "adult"})
    person.answer({"mood_low": "not_at_all", "mood_interest": "not_at_all"})
    assert person.path == "/questions/signs"
    return person


def test_today_tier_interrupts_with_tap_to_call_and_a_way_back(mini_app) -> None:
    mini_app.config["REGION"] = "uk"
    person = walk_to_signs(mini_app.test_client())
    person.answer({"red_flag": "no", "today_flag": "yes", "soon_flag": "no"})
    assert person.path == "/urgent"
    assert person.soup.find("h1").get_text(strip=True) == "Get help today"
    assert "Call NHS 111 today." in person.text
    assert person.soup.find("main").find("a", href="tel:111"), "no tap-to-call link for the today route"
    person.follow_link("Change your answer")
    assert person.path == "/questions/signs"
    person.answer({"red_flag": "no", "today_flag": "no", "soon_flag": "no"})
    assert person.path == "/questions/habits"


def test_soon_tier_waits_for_the_results(mini_app) -> None:
    person = walk_to_signs(mini_app.test_client())
    person.answer({"red_flag": "no", "today_flag": "no", "soon_flag": "yes"})
    assert person.path == "/questions/habits"


def test_a_crisis_notice_shows_crisis_lines_first(mini_app) -> None:
    mini_app.config["REGION"] = "uk"
    person = Person(mini_app.test_client())
    person.get("/")
    person.follow_link("Start now")
    person.answer({"age_band": "adult"})
    person.answer({"mood_low": "nearly_every_day", "mood_interest": "not_at_all"})
    assert person.path == "/urgent"
    notice = person.soup.find("section", class_="urgent-notice")
    first_link = notice.find("a")
    assert first_link["href"] == "tel:116123", "the crisis line is not the first thing in the notice"
    assert notice.get_text(" ").index("Call Samaritans now.") < notice.get_text(" ").index(
        "This is the crisis message."
    )
    # The reason quotes the person's own answer, as on the results page.
    assert notice.find("p", class_="reason").get_text(strip=True) == "You said you felt low nearly every day."


def test_the_summary_shows_scores_as_screening_results(mini_app) -> None:
    person = walk_to_signs(mini_app.test_client())
    person.answer({"red_flag": "no", "today_flag": "no", "soon_flag": "no"})
    person.answer({"exercise_days": "some"})
    assert person.path == "/check"
    soup = person.get("/summary")
    facts = soup.find("section", class_="key-facts")
    terms = {
        dt.get_text(strip=True): " ".join(dt.find_next_sibling("dd").get_text(" ").split())
        for dt in facts.find_all("dt")
    }
    assert terms["PHQ-2 total"].startswith("0 of 6")
    assert "A screening result, not a diagnosis." in terms["PHQ-2 total"]


# --- regions -----------------------------------------------------------------------------------


def test_an_unknown_region_stops_start_up_with_the_choices(tmp_path, mini_rules) -> None:
    from questionnaire import create_app
    from questionnaire.web.config import ConfigError

    with pytest.raises(ConfigError, match=r"QUESTIONNAIRE_REGION is 'mars'.*use one of: international, uk"):
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x" * 40,
                "INSTANCE_PATH": str(tmp_path),
                "RULES_DIR": str(mini_rules.dir),
                "REGION": "mars",
            }
        )


def test_the_footer_of_an_error_page_has_the_region_numbers(mini_app) -> None:
    mini_app.config["REGION"] = "uk"
    response = mini_app.test_client().get("/no-such-page")
    assert response.status_code == 404
    soup = check_page(response.get_data(as_text=True))
    footer = soup.find("footer")
    assert footer.find("a", href="tel:999") and footer.find("a", href="tel:116123")
