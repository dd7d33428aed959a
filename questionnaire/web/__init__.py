"""The web layer: a thin Flask app over the core engine."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, render_template, request, session
from flask_wtf.csrf import CSRFProtect
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix

from ..model import Question
from ..text import quote_label
from . import errors, headers
from .api import api
from .config import ConfigError, settings
from .limits import LimitedRequest
from .pages import pages
from .preview import preview
from .results import results
from .rulesholder import RulesHolder
from .sessioncookie import EncryptedSessionInterface, keyring, sessionless
from .state import current_region, holder, rules

ROOT = Path(__file__).resolve().parent.parent.parent
csrf = CSRFProtect()


def duration(seconds: int) -> str:
    """Say a number of seconds in words: '2 hours', '1 hour', '30 minutes', '5 seconds'."""
    if seconds >= 3600 and seconds % 3600 == 0:
        count, unit = seconds // 3600, "hour"
    elif seconds >= 60:
        count, unit = round(seconds / 60), "minute"
    else:
        count, unit = seconds, "second"
    return f"{count} {unit}{'s' if count != 1 else ''}"


def footer_help() -> Markup:
    """Return the footer's emergency numbers and crisis lines, rendered once per rule set and region."""
    region = current_region()
    derived = holder().derived(rules())
    html = derived.get(("footer_help", region.id))
    if html is None:
        # Rendered straight from the environment (no context processors: this is one of them), with
        # autoescaping on like every .html template, so the text is already safe HTML.
        rendered = current_app.jinja_env.get_template("_footer_help.html").render(region=region)
        html = derived[("footer_help", region.id)] = Markup(rendered)  # noqa: S704 - escaped by the template
    return html  # type: ignore[no-any-return]


#: Question fieldsets remembered per rule set; past this many, the memory starts again.
FIELDS_LIMIT = 4096


def question_fields(question: Question, field: Any) -> Markup:
    """Return a question's fieldset, rendered by the macro in _fields.html.

    A fieldset without an error depends only on the question and the answer shown, so it is
    rendered once per rule set and answer and then reused: rendering it was most of a page's time.
    """
    macro = current_app.jinja_env.get_template("_fields.html").module.question  # type: ignore[attr-defined]
    data = field.data
    chosen = (data,) if data is None or isinstance(data, str) else tuple(sorted(data))
    if field.errors or not all(v is None or v in question.values for v in chosen):
        return macro(question, field)  # type: ignore[no-any-return]
    derived = holder().derived(rules())
    key = ("fields", question.id, chosen)
    html = derived.get(key)
    if html is None:
        if len(derived) >= FIELDS_LIMIT:
            derived.clear()
        html = derived[key] = macro(question, field)
    return html  # type: ignore[no-any-return]


def fragment(template: str, name: str, *args: Any) -> Markup:
    """Return a macro's output for rule-set content that reads the same for everyone (a topic's texts).

    Rendered once per rule set and kept on the rules holder: the results page shows every topic, and
    rendering their unchanging parts again for each person was most of that page's time. Only pass
    rule-set objects (anything with an ``id``) and plain values, never answers.
    """
    key = ("fragment", template, name, *((type(a).__name__, a.id) if hasattr(a, "id") else a for a in args))
    derived = holder().derived(rules())
    html = derived.get(key)
    if html is None:
        macro = getattr(current_app.jinja_env.get_template(template).module, name)
        html = derived[key] = macro(*args)
    return html  # type: ignore[no-any-return]


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the app; a broken rule set stops start-up with file:line problems."""
    instance = (
        Path(test_config["INSTANCE_PATH"]) if test_config and "INSTANCE_PATH" in test_config else ROOT / "instance"
    )
    app = Flask(
        "questionnaire",
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(instance),
    )
    app.config.from_mapping(settings(Path(app.instance_path), test_config))
    app.request_class = LimitedRequest
    # No routing redirects: Werkzeug builds those as absolute URLs from the Host header, so
    # "//questions//about" with a forged Host would redirect off-site. Doubled slashes get a 404.
    app.url_map.merge_slashes = False
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=app.config["SESSION_MAX_AGE"])
    app.session_interface = EncryptedSessionInterface(keyring(app.config["SECRET_KEY"], app.config["OLD_SECRET_KEYS"]))
    app.extensions["rules"] = RulesHolder(app.config["RULES_DIR"], hot_reload=app.config["HOT_RELOAD"])
    regions = app.extensions["rules"].ruleset.regions
    if app.config["REGION"] not in regions:
        raise ConfigError(
            f"QUESTIONNAIRE_REGION is '{app.config['REGION']}', which rules/regions.yaml does not have; "
            f"use one of: {', '.join(regions)}"
        )
    if app.config["TRUST_PROXY"]:
        proxies = app.config["TRUST_PROXY"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    @app.before_request
    def refuse_bad_session() -> tuple[str, int] | None:
        if sessionless(request):
            return None
        why = getattr(session, "problem", None)
        if why is None:
            return None
        status = 200 if why == "expired" and request.method in ("GET", "HEAD") else 400
        return render_template("session_ended.html", why=why, ruleset=rules()), status

    csrf.init_app(app)
    csrf.exempt(api)
    headers.install(app)
    errors.install(app)
    for blueprint in (api, pages, results, preview):
        app.register_blueprint(blueprint)

    @app.context_processor
    def rule_problems() -> dict[str, Any]:
        # In development a broken edit is shown on every page while the last good rules keep serving.
        return {
            "rule_problems": holder().problems,
            "development": app.config["ENV"] != "production",
            "session_limit": duration(app.config["SESSION_MAX_AGE"]),
            "region": current_region(),
            "footer_help": footer_help(),
        }

    app.jinja_env.filters["in_sentence"] = quote_label
    app.jinja_env.globals["question_fields"] = question_fields
    app.jinja_env.globals["fragment"] = fragment

    return app
