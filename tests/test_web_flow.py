"""Complete walks through the web questionnaire, checking what a person sees on each page."""

from __future__ import annotations

from questionnaire.answerfile import sample
from tests.pagecheck import Person

CALM = sample("calm")
HEADACHE_NO_FLAGS = sample("no-headache-warning-signs")

NO_HEADACHE_PAGES = [
    "about",
    "sleep",
    "stress",
    "immune",
    "family",
    "hormones",
    "habits",
    "conditions",
    "environment",
    "headaches",
]
WITH_HEADACHES = {
    **CALM,
    **HEADACHE_NO_FLAGS,
    "headaches": "weekly",
    "headache_triggers": ["stress"],
    "treatments_tried": ["triptans"],
    "treatment_result": "no_help",
}


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


def test_no_headaches_means_no_headache_pages(client) -> None:
    person = Person(client)
    seen = person.walk({**CALM, "sleep_quality": "poor", "wake_unrefreshed": "always"})
    assert seen == NO_HEADACHE_PAGES
    assert person.path == "/check"
    assert "Headache warning signs" not in person.text
    person.follow_link("See your results")
    assert person.path == "/results"
    sleep = person.soup.find(id="sleep")
    assert sleep is not None
    assert "You said you wake up still feeling tired: always." in sleep.get_text(" ")
    assert "Talk to your provider" in sleep.get_text(" ")
    assert person.soup.find(id="urgent") is None
    others = [d.find("summary").get_text(strip=True) for d in person.soup.find_all("details", class_="other")]
    assert "Stress" in others and "Sleep" not in others


def test_progress_counts_pages_and_changes_with_branching(client) -> None:
    person = Person(client)
    person.walk(CALM, stop_at="sleep")
    assert "Step 2 of 10" in person.text
    person.walk({**CALM, "headaches": "weekly"}, stop_at="headache_warning_signs")
    assert "Step 11 of 12" in person.text


def test_headache_flow_with_poor_treatment_shows_prompts(client) -> None:
    person = Person(client)
    seen = person.walk(WITH_HEADACHES)
    assert seen == [*NO_HEADACHE_PAGES, "headache_warning_signs", "headache_details"]
    person.follow_link("See your results")
    migraine = person.soup.find(id="migraine")
    assert migraine is not None
    text = migraine.get_text(" ")
    assert "You said you tried triptans, such as sumatriptan, and the result was: they did not help." in " ".join(
        text.split()
    )
    prompts = [li.get_text(" ", strip=True) for li in migraine.find(class_="provider").find_all("li")]
    assert prompts.count("Ask whether a treatment to prevent migraine might suit you.") == 1


def test_emergency_answer_exits_early_then_can_continue(client) -> None:
    person = Person(client)
    seen = person.walk({**WITH_HEADACHES, "sudden_severe_headache": "yes"})
    assert seen[-1] == "headache_warning_signs"
    assert person.path == "/urgent"
    assert person.soup.h1.get_text(strip=True) == "Get emergency help now"
    assert "Call your emergency number now" in person.text
    person.press("Carry on with the questions")
    assert person.path == "/questions/headache_details"
    person.answer({k: WITH_HEADACHES[k] for k in ("headache_triggers", "treatments_tried", "treatment_result")})
    assert person.path == "/check"
    person.follow_link("See your results")
    main = person.soup.find("main")
    urgent = main.find(id="urgent")
    assert urgent is not None
    assert main.find(["section", "div"], id=True) is urgent or urgent.find_previous("section") is None
    assert "A sudden, very bad headache needs emergency care" in urgent.get_text()


def test_soon_tier_does_not_interrupt_but_leads_the_results(client) -> None:
    person = Person(client)
    person.walk({**WITH_HEADACHES, "age_band": "60_plus", "headache_new_or_changed": "yes"})
    assert person.path == "/check"
    person.follow_link("See your results")
    urgent = person.soup.find(id="urgent")
    assert "Contact a doctor or nurse soon" in urgent.get_text()


def test_change_from_check_returns_to_check_and_drops_hidden_answers(client) -> None:
    person = Person(client)
    person.walk(WITH_HEADACHES)
    assert "Headache treatments tried" in person.text
    row = next(r for r in person.soup.select(".summary-row") if r.dt.get_text(strip=True) == "Headaches")
    person.get(row.find("a")["href"])
    assert person.path == "/questions/headaches"
    assert person.soup.find("input", attrs={"value": "weekly"}).has_attr("checked")
    assert person.soup.find("a", class_="back-link")["href"] == "/check"
    person.answer({"headaches": "never"})
    assert person.path == "/check"
    assert "Headache treatments tried" not in person.text
    person.follow_link("See your results")
    assert person.soup.find(id="migraine") is None
    # the hidden answers are gone: asking for headaches again shows the later pages empty
    person.get("/questions/headaches?return=check")
    person.answer({"headaches": "daily"})
    assert person.path == "/questions/headache_warning_signs"
    assert not any(i.has_attr("checked") for i in person.soup.find("main").find_all("input"))


def test_change_that_reveals_pages_asks_them_then_returns_to_check(client) -> None:
    person = Person(client)
    person.walk(CALM)
    person.get("/questions/headaches?return=check")
    person.answer({"headaches": "weekly"})
    assert person.path == "/questions/headache_warning_signs"
    person.answer(HEADACHE_NO_FLAGS)
    assert person.path == "/questions/headache_details"
    person.answer(
        {"headache_triggers": ["weather"], "treatments_tried": ["none"], "treatment_result": "not_applicable"}
    )
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


def test_back_link_goes_to_previous_shown_page(client) -> None:
    person = Person(client)
    person.walk(CALM, stop_at="stress")
    assert person.soup.find("a", class_="back-link")["href"] == "/questions/sleep"
    person.walk({**CALM, "headaches": "never"})
    assert person.soup.find("a", class_="back-link")["href"] == "/questions/headaches"


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
