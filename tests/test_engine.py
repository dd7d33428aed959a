"""The engine: urgent notices first, ranking, reasons, prompts, hidden answers and flow."""

from __future__ import annotations

from questionnaire import flow
from questionnaire.engine import assess
from questionnaire.flow import Path
from questionnaire.text import quote_label


def ids(result) -> list[str]:
    return [m.category.id for m in result.categories]


def test_categories_rank_by_total_weight(ruleset, make_answers) -> None:
    # sleep: 3 + 3 + 2 = 8; stress: 3; lifestyle: 1
    answers = make_answers(
        sleep_quality="very_poor",
        wake_unrefreshed="always",
        sleep_schedule="irregular",
        stress_level="high",
        processed_food="often",
    )
    result = assess(ruleset, answers)
    assert ids(result) == ["sleep", "stress", "lifestyle"]
    assert [m.score for m in result.categories] == [8, 3, 1]


def test_ties_keep_the_category_file_order(ruleset, make_answers) -> None:
    result = assess(ruleset, make_answers(stress_level="high", sleep_quality="poor"))
    assert ids(result) == ["sleep", "stress"]


def in_sentence(question, value: str) -> str:
    """Return how an option reads inside a reason: its phrase, or its label with a lower-case first letter."""
    option = next(o for o in question.options if o.value == value)
    return option.phrase or quote_label(option.label)


def test_reasons_quote_the_answers_and_name_the_rule(ruleset, make_answers) -> None:
    result = assess(ruleset, make_answers(wake_unrefreshed="often"))
    reason = result.categories[0].reasons[0]
    rule = next(r for r in ruleset.rules if r.id == reason.rule_id)
    assert rule.when.questions() == {"wake_unrefreshed"}
    phrase = in_sentence(ruleset.questions["wake_unrefreshed"], "often")
    assert reason.text == rule.reason.replace("{wake_unrefreshed}", phrase)
    assert "{" not in reason.text and phrase in reason.text
    assert reason.answers == {"wake_unrefreshed": "often"}


def test_multiple_choice_reasons_quote_only_the_relevant_choices(ruleset, make_answers) -> None:
    chosen = ["ibs", "depression", "tmj"]
    result = assess(ruleset, make_answers(conditions=chosen))
    question = ruleset.questions["conditions"]
    quoting = [r for r in ruleset.rules if "{conditions}" in r.reason and result.fired[r.id]]
    assert quoting, "no fired rule quotes the conditions answer"
    reasons = {r.rule_id: r for m in result.categories for r in m.reasons}
    for rule in quoting:
        wanted = [
            v for v in question.ordered(frozenset(chosen)) if any(v in leaf.values for leaf in rule.when.leaves())
        ]
        words = [in_sentence(question, v) for v in wanted]
        quoted = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
        assert reasons[rule.id].text == rule.reason.replace("{conditions}", quoted)
        assert reasons[rule.id].answers == {"conditions": wanted}


def test_urgent_notices_come_first_and_emergency_outranks_soon(ruleset, make_answers) -> None:
    answers = make_answers(
        age_band="60_plus",
        headaches="daily",
        headache_new_or_changed="yes",
        fever_stiff_neck="yes",
        sleep_quality="very_poor",
    )
    result = assess(ruleset, answers)
    assert [m.notice.id for m in result.urgent] == ["fever-and-stiff-neck", "new-headache-pattern-over-50"]
    assert result.urgent_tier == "emergency"
    data = result.to_dict()
    assert list(data).index("urgent") < list(data).index("categories")
    assert data["urgent"][0]["tier"] == "emergency"


def test_hidden_answers_are_ignored(ruleset, make_answers) -> None:
    # The headache pages are hidden for someone who never has headaches, so those answers do not count.
    answers = make_answers(headaches="never", sudden_severe_headache="yes", headache_triggers=["stress"])
    result = assess(ruleset, answers)
    assert result.urgent == []
    assert "stress" not in ids(result)
    assert "sudden_severe_headache" not in result.to_dict()["answers"]


def test_prompts_are_deduplicated_with_rule_prompts_first(ruleset, make_answers) -> None:
    answers = make_answers(snoring_or_apnea="suspected", sleep_quality="poor")
    sleep = assess(ruleset, answers).categories[0]
    assert sleep.prompts[0] == "Ask whether a sleep check, such as a sleep study, could help you."
    assert len(sleep.prompts) == len({p.casefold() for p in sleep.prompts})
    assert set(ruleset.categories["sleep"].provider_prompts) <= set(sleep.prompts)


def test_prompts_are_not_repeated_across_categories(ruleset, make_answers) -> None:
    answers = make_answers(
        conditions=["ibs", "migraine", "anxiety"], headaches="daily", sensitivities=["light", "noise"]
    )
    result = assess(ruleset, answers)
    everything = [p for m in result.categories for p in m.prompts]
    assert len(everything) == len(set(everything))


def test_result_carries_version_disclaimer_and_unanswered(ruleset, make_answers) -> None:
    data = assess(ruleset, make_answers(headaches="weekly")).to_dict()
    assert data["ruleset"] == {"name": ruleset.name, "version": ruleset.version, "last_reviewed": ruleset.last_reviewed}
    assert "not a diagnosis" in data["disclaimer"]
    assert "sleep_quality" in data["unanswered"]
    assert "sudden_severe_headache" in data["unanswered"]  # shown for people with headaches
    assert "headaches" not in data["unanswered"]


def test_other_categories_are_the_ones_not_matched(ruleset, make_answers) -> None:
    result = assess(ruleset, make_answers(sleep_quality="poor"))
    assert [c.id for c in result.other_categories] == [c for c in ruleset.categories if c != "sleep"]


def test_nothing_matches_for_no_answers(ruleset) -> None:
    result = assess(ruleset, {})
    assert result.categories == [] and result.urgent == []
    assert len(result.other_categories) == len(ruleset.categories)


def test_fired_trace_covers_every_rule_and_notice(ruleset, make_answers) -> None:
    result = assess(ruleset, make_answers(sleep_quality="poor"))
    assert set(result.fired) == {r.id for r in ruleset.rules} | {n.id for n in ruleset.urgent}
    assert result.fired["sleep-poor-quality"] is True
    assert result.fired["stress-high"] is False


def test_headache_pages_branch_on_headaches(ruleset, make_answers) -> None:
    without = [p.id for p in flow.visible_pages(ruleset, make_answers(headaches="never"))]
    with_headaches = [p.id for p in flow.visible_pages(ruleset, make_answers(headaches="weekly"))]
    branching = [p.id for p in ruleset.pages if p.show_if is not None and "headaches" in p.show_if.questions()]
    assert {"headache_warning_signs", "headache_details"} <= set(branching)
    assert not set(branching) & set(without)
    assert set(branching) <= set(with_headaches)
    assert with_headaches.index("headaches") < with_headaches.index("headache_warning_signs")


def test_visible_answers_drop_hidden_ones(ruleset, make_answers) -> None:
    answers = make_answers(headaches="never", headache_medicine_days="15_plus", sleep_quality="good")
    assert flow.visible_answers(ruleset, answers) == {"headaches": "never", "sleep_quality": "good"}


def test_first_unanswered_page_and_neighbours(ruleset, make_answers) -> None:
    first, second = ruleset.pages[0], ruleset.pages[1]
    whole_first_page = {q.id: q.options[-1].value if not q.multiple else [q.options[-1].value] for q in first.questions}
    assert Path.of(ruleset, make_answers(**whole_first_page)).first_unanswered.id == second.id
    assert Path.of(ruleset, make_answers()).first_unanswered.id == first.id
    after = Path.of(ruleset, make_answers(headaches="never")).next(ruleset.page("headaches"))
    assert after is None or after.id != "headache_warning_signs"  # the warning signs only follow headaches
    path = Path.of(ruleset, make_answers(headaches="daily"))
    assert path.next(ruleset.page("headaches")).id == "headache_warning_signs"
    assert path.previous(second).id == first.id
    assert path.previous(first) is None
