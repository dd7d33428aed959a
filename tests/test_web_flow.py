"""Complete walks through the web questionnaire, checking what a person sees on each page."""

from __future__ import annotations

import re

import pytest

from questionnaire import flow
from questionnaire.answerfile import SAMPLES_DIR, sample
from questionnaire.answers import parse_answers
from tests.pagecheck import Person

CALM = sample("calm")
HEADACHE_NO_FLAGS = sample("parts/no-headache-warning-signs")

WITH_HEADACHES = {**sample("weekly-headaches"), "treatment_result_triptans": "no_help"}


def shown_pages(ruleset, raw: dict) -> list[str]:
    """Return the ids of the pages these answers show, in order."""
    answers, problems = parse_answers(ruleset.questions, raw, ruleset.retired)
    assert not problems, problems
    return [p.id for p in flow.visible_pages(ruleset, answers)]


def headache_pages(ruleset) -> set[str]:
    """Return the pages shown only to people who report headaches."""
    return {p.id for p in ruleset.pages if p.show_if is not None and "headaches" in p.show_if.questions()}


def finish(person: Person, answers: dict) -> None:
    """Answer every page still asked, the way Person.walk does, until the questions end."""
    for _ in range(60):
        if not person.path.startswith("/questions/"):
            return
        person.answer(person.page_answers(answers))
    raise AssertionError("the questions did not end")


def test_start_page_explains_privacy_time_and_emergencies(client) -> None:
    person = Person(client)
    person.get("/")
    text = person.text
    assert "education, not a diagnosis" in text
    assert "do not keep them on our server" in text and "never write them to our logs" in text
    assert "5 to 10 minutes" in text
    assert "sudden, very bad headache" in text and "numbers to call are at the bottom of every page" in text
    # The purpose and the Start button come before the warning box and the small print.
    main = person.soup.find("main")
    start = main.find("a", string="Start now")
    assert start.sourceline < main.find(class_="warning").sourceline


def test_no_headaches_means_no_headache_pages(client, ruleset) -> None:
    person = Person(client)
    answers = {**CALM, "sleep_quality": "poor", "wake_unrefreshed": "always"}
    seen = person.walk(answers)
    assert seen == shown_pages(ruleset, answers)
    assert not headache_pages(ruleset) & set(seen)
    assert person.path == "/check"
    assert ruleset.page("headache_warning_signs").title not in person.text
    person.follow_link("See your results")
    assert person.path == "/results"
    sleep = person.soup.find(id="sleep")
    assert sleep is not None
    assert sleep.find(class_="why").find_all("li"), "no reason is given for the sleep topic"
    assert "Talk to your provider" in sleep.get_text(" ")
    assert person.soup.find(id="urgent") is None
    others = [d.find("summary").get_text(strip=True) for d in person.soup.find_all("details", class_="other")]
    assert ruleset.categories["stress"].title in others and ruleset.categories["sleep"].title not in others


PROGRESS = re.compile(r"Page (\d+) of up to (\d+)(?: · up to (\d+) questions left)?")


@pytest.mark.parametrize("name", sorted(p.stem for p in SAMPLES_DIR.glob("*.yaml")))
def test_progress_never_goes_backwards(client, name) -> None:
    """Page N of up to M: N rises by one a page, M and the questions left never rise, and end exact."""
    person = Person(client)
    answers = sample(name)
    person.walk(answers, stop_at="about")
    seen: list[tuple[int, int, int]] = []
    for _ in range(60):
        if not person.path.startswith("/questions/"):
            break
        found = PROGRESS.search(person.text)
        assert found, f"no progress line on {person.path}: {person.text[:200]}"
        step, up_to, left = int(found[1]), int(found[2]), int(found[3] or 1)
        if seen:
            last = seen[-1]
            assert step == last[0] + 1, f"{name}: page {step} after page {last[0]}"
            assert up_to <= last[1], f"{name}: 'up to {last[1]}' grew to {up_to} on {person.path}"
            assert left < last[2], f"{name}: {last[2]} questions left grew to {left} on {person.path}"
        seen.append((step, up_to, left))
        person.answer(person.page_answers(answers))
    assert seen, f"{name}: no question page was shown"
    if person.path == "/check":
        assert seen[-1][0] == seen[-1][1], f"{name}: the last page said {seen[-1]}"


def test_headache_flow_with_poor_treatment_shows_prompts(client, ruleset) -> None:
    person = Person(client)
    seen = person.walk(WITH_HEADACHES)
    assert seen == shown_pages(ruleset, WITH_HEADACHES)
    assert headache_pages(ruleset) <= set(seen)
    person.follow_link("See your results")
    migraine = person.soup.find(id="migraine")
    assert migraine is not None
    reasons = [" ".join(li.get_text(" ").split()) for li in migraine.find(class_="why").find_all("li")]
    triptans = ruleset.questions["treatments_tried"].label("triptans")
    assert any(triptans.split(",")[0].lower() in r.lower() for r in reasons), reasons
    prompts = [li.get_text(" ", strip=True) for li in migraine.find(class_="provider").find_all("li")]
    assert prompts and len(prompts) == len(set(prompts))


def test_emergency_answer_exits_early_then_can_continue(client, ruleset, app) -> None:
    person = Person(client)
    answers = {**WITH_HEADACHES, "sudden_severe_headache": "yes"}
    seen = person.walk(answers)
    assert seen[-1] == "headache_warning_signs"
    assert person.path == "/urgent"
    assert person.soup.h1.get_text(strip=True) == "Get emergency help now"
    assert ruleset.regions[app.config["REGION"]].advice["emergency"] in person.text
    person.press("Carry on with the questions")
    shown = shown_pages(ruleset, answers)
    assert person.path == f"/questions/{shown[shown.index('headache_warning_signs') + 1]}"
    finish(person, answers)
    assert person.path == "/check"
    person.follow_link("See your results")
    main = person.soup.find("main")
    urgent = main.find(id="urgent")
    assert urgent is not None
    assert main.find(["section", "div"], id=True) is urgent or urgent.find_previous("section") is None
    thunderclap = next(n for n in ruleset.urgent if n.when.questions() == {"sudden_severe_headache"})
    assert thunderclap.title in " ".join(urgent.get_text(" ").split())


def test_soon_tier_does_not_interrupt_but_leads_the_results(client) -> None:
    person = Person(client)
    person.walk({**WITH_HEADACHES, "age_band": "60_plus", "jaw_or_scalp_pain": "no", "headache_new_or_changed": "yes"})
    assert person.path == "/check"
    person.follow_link("See your results")
    urgent = person.soup.find(id="urgent")
    assert "Contact a doctor or nurse soon" in urgent.get_text()


def test_change_from_check_returns_to_check_and_drops_hidden_answers(client, ruleset) -> None:
    treatments = ruleset.questions["treatments_tried"].short
    person = Person(client)
    person.walk({**WITH_HEADACHES, "conditions": ["ibs"]})  # so only headache answers point to migraine
    assert treatments in person.text
    row = next(r for r in person.soup.select(".summary-row") if r.dt.get_text(strip=True) == "Headaches")
    person.get(row.find("a")["href"])
    assert person.path == "/questions/headaches"
    given = WITH_HEADACHES["headaches"]
    assert person.soup.find("input", attrs={"name": "headaches", "value": given}).has_attr("checked")
    assert person.soup.find("a", class_="back-link")["href"] == "/check"
    person.answer_all({"headaches": "never"})
    assert person.path == "/check"
    assert treatments not in person.text
    person.follow_link("See your results")
    assert person.soup.find(id="migraine") is None
    # the hidden answers are gone: asking for headaches again shows the later pages empty
    person.get("/questions/headaches?return=check")
    person.answer_all({"headaches": "daily"})
    assert person.path == "/questions/headache_warning_signs"
    assert not any(i.has_attr("checked") for i in person.soup.find("main").find_all("input"))


def test_change_that_reveals_pages_asks_them_then_returns_to_check(client) -> None:
    person = Person(client)
    person.walk(CALM)
    person.get("/questions/headaches?return=check")
    person.answer_all({"headaches": "weekly"})
    assert person.path == "/questions/headache_warning_signs"
    person.answer(person.page_answers(HEADACHE_NO_FLAGS))
    assert person.path == "/questions/headache_details"
    finish(person, {"headache_triggers": ["weather"], "treatments_tried": ["none"], "headache_medicine_days": "0_4"})
    assert person.path == "/check"


def test_errors_are_summarised_linked_and_keep_answers(client) -> None:
    person = Person(client)
    person.walk(CALM, stop_at="immune")
    person.answer({"inflammation_markers": "elevated", "autoimmune": ["none", "lupus"]}, expect=400)
    assert person.soup.title.get_text().startswith("Error: Inflammation and immune health")
    summary = person.soup.find(class_="error-summary")
    links = {a["href"]: a.get_text(" ", strip=True) for a in summary.find_all("a")}
    assert links["#autoimmune-0"] == "Autoimmune or thyroid conditions: Choose ‘None of these’ on its own, or untick it"
    assert links["#frequent_infections-0"] == "Frequent infections: Choose one answer"
    assert "#inflammation_markers-0" not in links
    assert person.soup.find(id="autoimmune-error").get_text(" ", strip=True).endswith("or untick it")
    assert person.soup.find("input", attrs={"name": "inflammation_markers", "value": "elevated"}).has_attr("checked")
    assert person.soup.find("input", attrs={"name": "autoimmune", "value": "lupus"}).has_attr("checked")
    # earlier pages are kept
    person.get("/questions/sleep")
    assert person.soup.find("input", attrs={"name": "sleep_quality", "value": "good"}).has_attr("checked")


def test_back_link_goes_to_previous_shown_page(client, ruleset) -> None:
    person = Person(client)
    person.walk(CALM, stop_at="stress")
    shown = shown_pages(ruleset, CALM)
    assert person.soup.find("a", class_="back-link")["href"] == f"/questions/{shown[shown.index('stress') - 1]}"
    person.walk({**CALM, "headaches": "never"})
    assert person.path == "/check"
    assert person.soup.find("a", class_="back-link")["href"] == f"/questions/{shown[-1]}"


def test_opening_a_page_out_of_order_redirects_to_the_first_unanswered(client) -> None:
    person = Person(client)
    person.walk(CALM, stop_at="stress")
    response = client.get("/questions/habits")
    assert response.status_code == 302
    assert response.headers["Location"] == "/questions/stress"
    assert client.get("/results").headers["Location"] == "/questions/stress"
    assert client.get("/check").headers["Location"] == "/questions/stress"
    assert client.get("/questions/headache_details").headers["Location"] == "/questions/stress"


def test_start_again_clears_answers(client) -> None:
    person = Person(client)
    person.walk(CALM)
    person.follow_link("See your results")
    person.press("Clear my answers")
    assert person.path == "/"
    assert "Start now" in person.text
    assert client.get("/check").headers["Location"] == "/questions/about"


def test_start_page_offers_to_continue(client) -> None:
    person = Person(client)
    person.walk(CALM, stop_at="stress")
    person.get("/")
    assert "Continue where you left off" in person.text
    person.follow_link("Continue where you left off")
    assert person.path == "/questions/stress"
