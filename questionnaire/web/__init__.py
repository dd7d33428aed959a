"""Serve the questionnaire on the web: a thin Flask app over the core engine."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, render_template, request, session
from flask_babel import Babel, ngettext
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from ..clinics.crypto import new_key_setting
from ..highlights import by_tier, first_sentence
from ..problems import RuleSetError
from ..text import quote_label
from . import clinic_auth, clinic_cli, clinic_patient, clinicdb, errors, headers, logs
from .api import api
from .author import author
from .author import raise_limits as raise_author_limits
from .clinic_staff import clinic
from .clinicconfig import clinic_settings
from .config import ConfigError, settings
from .display import display, text_size
from .language import DATE_STYLES, TRANSLATIONS, install_template_gettext, language, review_pending, when
from .language import current as current_language
from .language import offered as offered_languages
from .limits import LimitedRequest
from .ops import ops
from .pages import pages
from .preview import preview
from .rendering import footer_help, fragment, question_fields
from .results import results
from .rulesholder import RulesHolder
from .sessioncookie import EncryptedSessionInterface, keyring, sessionless
from .state import current_region, has_answers, holder, rules

ROOT = Path(__file__).resolve().parent.parent.parent
csrf = CSRFProtect()


def duration(seconds: int) -> str:
    """Say a number of seconds in words: '2 hours', '1 hour', '30 minutes', '5 seconds'."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return ngettext("%(num)d hour", "%(num)d hours", seconds // 3600)
    if seconds >= 60:
        return ngettext("%(num)d minute", "%(num)d minutes", round(seconds / 60))
    return ngettext("%(num)d second", "%(num)d seconds", seconds)


def create_app(test_config: dict[str, Any] | None = None, *, diagnose: bool = False) -> Flask:
    """Create and configure the app; a broken rule set stops start-up with file:line problems.

    With ``diagnose`` (``flask --app app doctor``) configuration problems are collected for the
    doctor to explain instead of stopping start-up.
    """
    instance = (
        Path(test_config["INSTANCE_PATH"]) if test_config and "INSTANCE_PATH" in test_config else ROOT / "instance"
    )
    app = Flask(
        "questionnaire",
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(instance),
    )
    problems: list[str] = []
    app.config.from_mapping(_configure(Path(app.instance_path), test_config, problems, diagnose))
    app.config["CONFIG_PROBLEMS"] = problems
    app.request_class = LimitedRequest
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=current_language)
    install_template_gettext(app)
    # No routing redirects: Werkzeug builds those as absolute URLs from the Host header, so
    # "//questions//about" with a forged Host would redirect off-site. Doubled slashes get a 404.
    app.url_map.merge_slashes = False
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=app.config["SESSION_MAX_AGE"])
    app.session_interface = EncryptedSessionInterface(keyring(app.config["SECRET_KEY"], app.config["OLD_SECRET_KEYS"]))
    try:
        app.extensions["rules"] = RulesHolder(app.config["RULES_DIR"], hot_reload=app.config["HOT_RELOAD"])
    except RuleSetError:
        if not diagnose:
            raise  # the doctor loads the rules itself and reports their problems
    else:
        regions = app.extensions["rules"].ruleset.regions
        if app.config["REGION"] not in regions and not diagnose:  # the doctor reports a wrong region
            raise ConfigError(
                f"QUESTIONNAIRE_REGION is '{app.config['REGION']}', which rules/regions.yaml does not have; "
                f"use one of: {', '.join(regions)}"
            )
    logs.install()
    clinicdb.install(app)
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
        after = getattr(session, "expired_after", None)
        limit = duration(int(after)) if after else None
        return render_template("session_ended.html", why=why, ruleset=rules(), limit=limit), status

    app.before_request(raise_author_limits)  # before CSRF, which reads the form first
    csrf.init_app(app)
    csrf.exempt(api)
    headers.install(app)
    errors.install(app)
    for blueprint in (api, pages, results, preview, display, language, author, ops, clinic):
        app.register_blueprint(blueprint)
    clinic_auth.install(app)
    clinic_patient.install(app)
    clinic_cli.register(app)

    @app.context_processor
    def rule_problems() -> dict[str, Any]:
        # In development a broken edit is shown on every page while the last good rules keep serving.
        return {
            "rule_problems": holder().problems,
            "development": app.config["ENV"] != "production",
            "session_limit": duration(app.config["SESSION_MAX_AGE"]),
            "region": current_region(),
            "text_size": text_size(request),
            # Error pages for static files and the API are drawn without a session: no form there.
            "has_answers": not sessionless(request) and has_answers(),
            "footer_help": footer_help(),
            "language": current_language(),
            "other_languages": [(code, name) for code, name in offered_languages() if code != current_language()],
            "review_pending": review_pending(),
        }

    app.jinja_env.filters["in_sentence"] = quote_label
    app.jinja_env.filters["first_sentence"] = first_sentence
    app.jinja_env.filters["groupby_tier"] = by_tier
    for style in DATE_STYLES:
        app.jinja_env.filters[style] = lambda value, style=style: when(value, style)
    app.jinja_env.globals["question_fields"] = question_fields
    app.jinja_env.globals["fragment"] = fragment

    return app


def _configure(
    instance: Path, test_config: dict[str, Any] | None, problems: list[str], diagnose: bool
) -> dict[str, Any]:
    """Return the settings; when diagnosing, note what is wrong and carry on with stand-ins."""
    overrides = dict(test_config or {})
    try:
        config = settings(instance, overrides)
        config.update(clinic_settings(instance, config["ENV"] == "production", overrides))
        return config
    except ConfigError as exc:
        if not diagnose:
            raise
        problems.append(str(exc))
    # Stand-ins so the doctor can go on to check the database and the rules (it re-checks both settings).
    overrides.setdefault("SECRET_KEY", "doctor-stand-in-" + secrets.token_hex(16))
    overrides.setdefault("DATA_KEYS", new_key_setting("doctor"))
    config = settings(instance, overrides)
    config.update(clinic_settings(instance, config["ENV"] == "production", overrides))
    return config
