"""Realistic people: given these answers, these categories and this urgent tier, not those."""

from __future__ import annotations

import pytest

from questionnaire.answerfile import sample
from questionnaire.answers import parse_answers
from questionnaire.engine import assess

CALM = sample("calm")
HEADACHE_NO_FLAGS = sample("parts/no-headache-warning-signs")

PROFILES = [
    # (name, answers over CALM, expected categories in rank order (prefix), urgent tier, categories that must be absent)
    ("calm baseline", {}, [], None, ["sleep", "stress", "migraine"]),
    (
        "poor sleeper with apnea signs",
        {"sleep_quality": "very_poor", "wake_unrefreshed": "always", "snoring_or_apnea": "suspected"},
        ["sleep"],
        None,
        ["stress", "migraine"],
    ),
    (
        "stressed after trauma, flares",
        {"stress_level": "very_high", "stress_flares": "often", "past_trauma": "yes", "conditions": ["anxiety"]},
        ["stress", "comorbid"],
        None,
        ["sleep", "genetics"],
    ),
    (
        "family history and overlapping conditions",
        {
            "family_history": ["fibromyalgia", "migraine"],
            "conditions": ["ibs", "tmj", "chronic_fatigue"],
            "sensitivities": ["light", "noise", "smells"],
        },
        ["genetics", "central-sensitization", "comorbid"],
        None,
        ["sleep", "immune"],
    ),
    (
        "migraine where triptans failed",
        {
            **HEADACHE_NO_FLAGS,
            "headaches": "several_weekly",
            "conditions": ["migraine"],
            "headache_triggers": ["poor_sleep", "weather"],
            "treatments_tried": ["triptans", "nsaids"],
            "treatment_result_triptans": "side_effects",
            "treatment_result_nsaids": "side_effects",
        },
        ["migraine"],
        None,
        ["inflammation", "immune"],
    ),
    (
        "thunderclap headache: emergency first",
        {
            **HEADACHE_NO_FLAGS,
            "headaches": "monthly_or_less",
            "sudden_severe_headache": "yes",
            "headache_triggers": ["none"],
            "treatments_tried": ["none"],
        },
        [],
        "emergency",
        ["migraine"],
    ),
    (
        "over 60 with changed headaches: soon",
        {
            **HEADACHE_NO_FLAGS,
            "age_band": "60_plus",
            "headaches": "weekly",
            "headache_new_or_changed": "yes",
            "headache_triggers": ["unsure"],
            "treatments_tried": ["nsaids"],
            "treatment_result_nsaids": "helped",
        },
        ["migraine"],
        "soon",
        ["sleep"],
    ),
    (
        # SNNOOP10 flags a changed headache pattern at any age, not only over 50.
        "under 50 with changed headaches: soon",
        {**HEADACHE_NO_FLAGS, "age_band": "40_49", "headaches": "weekly", "headache_new_or_changed": "yes"},
        ["migraine"],
        "soon",
        [],
    ),
    (
        "autoimmune thyroid and hormone pattern",
        {"autoimmune": ["thyroid", "rheumatoid_arthritis"], "hormonal_pattern": "yes", "frequent_infections": "yes"},
        ["neuroendocrine", "immune"],  # a thyroid condition counts once, under hormones
        None,
        ["inflammation"],
    ),
    (
        "raised markers, unsure about the rest",
        {
            "inflammation_markers": "elevated",
            "frequent_infections": "unsure",
            "family_history": ["unsure"],
            "hormonal_pattern": "unsure",
            "past_trauma": "prefer_not_to_say",
        },
        ["inflammation"],
        None,
        ["immune", "genetics", "neuroendocrine", "stress"],
    ),
    (
        "sedentary, caffeine and processed food",
        {"exercise_days": "none", "caffeine": "3_plus", "processed_food": "often"},
        ["lifestyle"],
        None,
        ["sleep"],
    ),
    (
        "onset after infection and vibration; a retired toxin answer is ignored",
        {"onset_after_infection": "yes", "vibration_exposure": "yes", "toxin_exposure": "yes"},
        ["environment"],
        None,
        ["immune"],
    ),
    (
        "no headaches but red-flag answers left over from an earlier try",
        {"headaches": "never", "sudden_severe_headache": "yes", "head_injury": "yes", "sleep_quality": "poor"},
        ["sleep"],
        None,
        ["migraine"],
    ),
    (
        "fog day: many overlapping signs",
        {
            **HEADACHE_NO_FLAGS,
            "sleep_quality": "very_poor",
            "wake_unrefreshed": "always",
            "sleep_schedule": "irregular",
            "stress_level": "high",
            "headaches": "daily",
            "conditions": ["migraine", "ibs"],
            "sensitivities": ["medicines", "light"],
            "exercise_days": "1_2",
            "neuro_symptoms": "yes",
        },
        ["sleep"],
        "emergency",
        ["genetics", "immune"],
    ),
]


@pytest.mark.parametrize(("name", "changes", "expected", "tier", "absent"), PROFILES, ids=[p[0] for p in PROFILES])
def test_profile(ruleset, name, changes, expected, tier, absent) -> None:
    answers, problems = parse_answers(ruleset.questions, {**CALM, **changes}, ruleset.retired)
    assert problems == []
    result = assess(ruleset, answers)
    got = [m.category.id for m in result.categories]
    assert got[: len(expected)] == expected, got
    if not expected:
        assert got == []
    assert result.urgent_tier == tier
    for category in absent:
        assert category not in got
