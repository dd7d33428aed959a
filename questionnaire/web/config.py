"""Work out the web app's settings from defaults, the environment and test overrides."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from ..fhir.canonical import BaseUrlError, check_base, default_base
from ..loader import default_rules_dir


class ConfigError(RuntimeError):
    """Refuse to start with an unsafe or incomplete configuration."""


def is_production(test_config: dict[str, Any] | None) -> bool:
    """Tell whether the app runs in production mode."""
    if test_config and "ENV" in test_config:
        return test_config["ENV"] == "production"
    return os.environ.get("QUESTIONNAIRE_ENV", "development") == "production"


def settings(instance_path: Path, test_config: dict[str, Any] | None) -> dict[str, Any]:
    """Return the configuration: production reads secrets from the environment only."""
    production = is_production(test_config)
    config: dict[str, Any] = {
        "ENV": "production" if production else "development",
        "RULES_DIR": str(os.environ.get("QUESTIONNAIRE_RULES") or default_rules_dir()),
        "HOT_RELOAD": not production,
        "PREVIEW": os.environ.get("QUESTIONNAIRE_PREVIEW", "0" if production else "1") == "1",
        # The author mode writes the rule files: development only, whatever the environment says.
        "AUTHOR": os.environ.get("QUESTIONNAIRE_AUTHOR", "1") == "1",
        "SESSION_COOKIE_NAME": "fq_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_MAX_AGE": int(os.environ.get("QUESTIONNAIRE_SESSION_MAX_AGE", 2 * 60 * 60)),
        # Request limits. The largest page sends about 20 fields of short option ids; the API body
        # is a few hundred bytes. MAX_FORM_PARTS and MAX_FORM_MEMORY_SIZE (per field name or value)
        # apply to every form body, urlencoded included (see limits.py); going over any limit is a 413.
        "MAX_CONTENT_LENGTH": 16 * 1024,
        "MAX_FORM_PARTS": 100,
        "MAX_FORM_MEMORY_SIZE": 1024,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session, which expires itself
        "WTF_CSRF_SSL_STRICT": False,  # Referrer-Policy: no-referrer means browsers send no Referer to check
        "API_CORS_ORIGINS": [o for o in os.environ.get("QUESTIONNAIRE_CORS_ORIGINS", "").split() if o],
        "TRUST_PROXY": int(os.environ.get("QUESTIONNAIRE_TRUST_PROXY", "0")),
        # Which emergency numbers, crisis lines and out-of-hours routes to show (rules/regions.yaml).
        "REGION": os.environ.get("QUESTIONNAIRE_REGION", "international"),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # FHIR: the base of the Questionnaire's canonical url (QUESTIONNAIRE_FHIR_BASE), and a larger
        # body limit for a QuestionnaireResponse, which repeats texts and code systems (fhirapi.py).
        "FHIR_MAX_CONTENT_LENGTH": 64 * 1024,
        "FHIR_AUTHORED": None,  # tests fix the authored time; None means now
    }
    try:
        config["FHIR_BASE"] = default_base()
    except BaseUrlError as exc:
        raise ConfigError(str(exc)) from exc
    if test_config:
        config.update(test_config)
    config["FHIR_BASE"] = check_base(config["FHIR_BASE"])
    if config["ENV"] == "production":
        config["AUTHOR"] = False
    secret = (test_config or {}).get("SECRET_KEY") or os.environ.get("QUESTIONNAIRE_SECRET_KEY")
    if not secret:
        if config["ENV"] == "production":
            raise ConfigError(
                "QUESTIONNAIRE_SECRET_KEY is not set. In production the secret key must come from "
                "the environment; generate one with: python -c 'import secrets; "
                "print(secrets.token_hex(32))'"
            )
        secret = _development_secret(instance_path)
    if config["ENV"] == "production" and len(secret) < 32:
        raise ConfigError("QUESTIONNAIRE_SECRET_KEY is too short: use at least 32 random characters.")
    config["SECRET_KEY"] = secret
    if "OLD_SECRET_KEYS" not in config:
        # Keys retired by a rotation: cookies sealed with them still open until they expire.
        config["OLD_SECRET_KEYS"] = os.environ.get("QUESTIONNAIRE_OLD_SECRET_KEYS", "").replace(",", " ").split()
    if config["ENV"] == "production" and any(len(k) < 32 for k in config["OLD_SECRET_KEYS"]):
        raise ConfigError("QUESTIONNAIRE_OLD_SECRET_KEYS holds a key shorter than 32 characters.")
    return config


def _development_secret(instance_path: Path) -> str:
    """Make a secret once and keep it in the instance folder, so sessions survive restarts."""
    path = instance_path / "secret_key"
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    instance_path.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value
