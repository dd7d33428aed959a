"""Fragments rendered once per rule set put pages together exactly as rendering them each time would."""

from __future__ import annotations

from itertools import combinations

from questionnaire import create_app
from questionnaire.web.forms import ShownAnswer
from questionnaire.web.rendering import Fieldset, question_fields


def test_a_fieldset_put_together_matches_the_macro_for_every_answer(mini_rules, tmp_path) -> None:
    # A label that itself says "checked" must not confuse where the options' attributes go.
    mini_rules.replace("questions.yaml", "{value: some, label: Some days}", '{value: some, label: "Some, checked"}')
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k" * 40, "INSTANCE_PATH": str(tmp_path), "RULES_DIR": str(mini_rules.dir)}
    )
    ruleset = app.extensions["rules"].ruleset
    with app.test_request_context("/"):
        macro = app.jinja_env.get_template("_fields.html").module.question
        for question in ruleset.questions.values():
            values = [o.value for o in question.options]
            assert Fieldset.split(macro, question) is not None, question.id
            for size in range(len(values) + 1 if question.multiple else 2):
                for chosen in combinations(values, size):
                    data = list(chosen) if question.multiple else (chosen[0] if chosen else None)
                    expected = str(macro(question, ShownAnswer(data)))
                    assert str(question_fields(question, ShownAnswer(data))) == expected, (question.id, chosen)


def test_an_answer_the_question_does_not_offer_is_rendered_as_usual(mini_app) -> None:
    ruleset = mini_app.extensions["rules"].ruleset
    question = ruleset.questions["exercise_days"]
    with mini_app.test_request_context("/"):
        macro = mini_app.jinja_env.get_template("_fields.html").module.question
        html = str(question_fields(question, ShownAnswer("<odd>")))
        assert html == str(macro(question, ShownAnswer("<odd>"))) and "checked" not in html
