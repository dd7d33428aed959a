"""Make realistic answer profiles from the question definitions, with a fixed seed."""

from __future__ import annotations

import random

from questionnaire.answerfile import sample
from questionnaire.answers import parse_answers
from questionnaire.model import Question, RuleSet

Answers = dict[str, "str | frozenset[str]"]

#: Hand-written profiles, in the raw form the API and answer files take.
HAND_WRITTEN: dict[str, dict[str, object]] = {
    "empty": {},
    "well-rested, no headaches": sample("calm"),
    "poor sleep and stress, weekly migraine": {
        "age_band": "40_49",
        "diagnosis": "diagnosed",
        "sleep_quality": "very_poor",
        "wake_unrefreshed": "always",
        "sleep_schedule": "irregular",
        "snoring_or_apnea": "suspected",
        "stress_level": "very_high",
        "stress_flares": "often",
        "past_trauma": "yes",
        "inflammation_markers": "unsure",
        "autoimmune": ["thyroid"],
        "frequent_infections": "unsure",
        "family_history": ["fibromyalgia", "migraine"],
        "hormonal_pattern": "yes",
        "hormone_condition": "no",
        "exercise_days": "none",
        "caffeine": "3_plus",
        "processed_food": "often",
        "conditions": ["ibs", "migraine", "depression"],
        "sensitivities": ["light", "noise", "smells"],
        "onset_after_infection": "yes",
        "vibration_exposure": "no",
        "toxin_exposure": "unsure",
        "headaches": "weekly",
        "sudden_severe_headache": "no",
        "neuro_symptoms": "no",
        "fever_stiff_neck": "no",
        "head_injury": "no",
        "headache_new_or_changed": "no",
        "headache_triggers": ["poor_sleep", "stress", "hormonal", "weather"],
        "treatments_tried": ["triptans", "nsaids"],
        "treatment_result": "partly",
    },
    "emergency warning signs, over 60": {
        "age_band": "60_plus",
        "diagnosis": "suspected",
        "sleep_quality": "fair",
        "headaches": "daily",
        "sudden_severe_headache": "yes",
        "neuro_symptoms": "yes",
        "fever_stiff_neck": "no",
        "head_injury": "no",
        "headache_new_or_changed": "yes",
        "headache_triggers": ["unsure"],
        "treatments_tried": ["none"],
        "treatment_result": "not_applicable",
    },
    "hidden answers sent anyway": {
        "headaches": "never",
        "sudden_severe_headache": "yes",
        "headache_triggers": ["stress", "caffeine"],
        "stress_level": "high",
    },
    "unsure and prefer not to say": {
        "past_trauma": "prefer_not_to_say",
        "inflammation_markers": "unsure",
        "frequent_infections": "unsure",
        "family_history": ["unsure"],
        "hormonal_pattern": "unsure",
        "hormone_condition": "unsure",
        "onset_after_infection": "unsure",
        "toxin_exposure": "unsure",
    },
}


def random_answer(question: Question, rng: random.Random) -> str | list[str]:
    """Pick a valid answer: one option, or for multiple choice an exclusive option alone or a few others."""
    values = [o.value for o in question.options]
    if not question.multiple:
        return rng.choice(values)
    exclusive = [o.value for o in question.options if o.exclusive]
    others = [v for v in values if v not in exclusive]
    if exclusive and rng.random() < 0.25:
        return [rng.choice(exclusive)]
    return rng.sample(others, rng.randint(1, min(3, len(others))))


def random_profile(ruleset: RuleSet, rng: random.Random) -> dict[str, object]:
    """Answer each question with some probability; a few answers are to questions that end up hidden."""
    answer_rate = rng.choice((0.5, 0.8, 0.95, 1.0))
    return {qid: random_answer(q, rng) for qid, q in ruleset.questions.items() if rng.random() < answer_rate}


def make_profiles(ruleset: RuleSet, count: int = 300, seed: int = 20261122) -> list[tuple[str, Answers]]:
    """Return named, validated profiles: the hand-written ones, then ``count`` random ones."""
    rng = random.Random(seed)
    raw: list[tuple[str, dict[str, object]]] = list(HAND_WRITTEN.items())
    raw += [(f"random-{i:03d}", random_profile(ruleset, rng)) for i in range(count)]
    profiles = []
    for name, data in raw:
        answers, problems = parse_answers(ruleset.questions, data, ruleset.retired)
        if problems:
            raise ValueError(f"profile {name!r} is not valid: {'; '.join(map(str, problems))}")
        profiles.append((name, answers))
    return profiles
