"""Settings for clinic use: database, data keys, sign-in limits and idle time, public address."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..clinics.crypto import KeySettingError, new_key_setting, parse_keys
from ..clinics.db import normalise_url, sqlite_url
from .config import ConfigError


def clinic_settings(instance_path: Path, production: bool, test_config: dict[str, Any] | None) -> dict[str, Any]:
    """Return the clinic settings; production takes data keys from the environment only (none: clinic use off)."""
    env = os.environ
    overrides = test_config or {}
    config: dict[str, Any] = {
        "DATABASE_URL": normalise_url(env.get("QUESTIONNAIRE_DATABASE_URL") or sqlite_url(instance_path)),
        "DATABASE_SCHEMA": env.get("QUESTIONNAIRE_DATABASE_SCHEMA") or None,
        "DATABASE_POOL_SIZE": int(env.get("QUESTIONNAIRE_DATABASE_POOL_SIZE", "10")),
        # Flask-Limiter reads these two; memory counts per process, so use Redis with several workers.
        "RATELIMIT_STORAGE_URI": env.get("QUESTIONNAIRE_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_KEY_PREFIX": env.get("QUESTIONNAIRE_RATELIMIT_KEY_PREFIX", "fq"),
        "LOGIN_LIMITS": env.get("QUESTIONNAIRE_LOGIN_LIMITS", "5 per minute; 30 per hour"),
        "LOGIN_LIMITS_PER_ACCOUNT": env.get("QUESTIONNAIRE_LOGIN_LIMITS_PER_ACCOUNT", "20 per hour"),
        "CLINIC_IDLE_MINUTES": int(env.get("QUESTIONNAIRE_CLINIC_IDLE_MINUTES", "30")),
        "INVITATION_DAYS": int(env.get("QUESTIONNAIRE_INVITATION_DAYS", "30")),
        "PUBLIC_URL": env.get("QUESTIONNAIRE_PUBLIC_URL", "").rstrip("/"),
        "CHEAP_PASSWORD_HASHES": False,
        # Send "Server-Timing: draft;dur=MS" on invited pages (off by default; make bench turns it on).
        "SERVER_TIMING": env.get("QUESTIONNAIRE_SERVER_TIMING", "0") == "1",
    }
    config.update({k: v for k, v in overrides.items() if k in config})
    keys = overrides.get("DATA_KEYS") or env.get("QUESTIONNAIRE_DATA_KEYS")
    if not keys and not production:
        keys = _development_keys(instance_path)
    if keys:
        try:
            parse_keys(keys)
        except KeySettingError as exc:
            raise ConfigError(f"QUESTIONNAIRE_DATA_KEYS cannot be used: {exc}") from None
    # Without keys in production, clinic use is off (its pages answer 404) and anonymous use runs as
    # before: nothing is ever stored unencrypted. `flask --app app doctor` says so.
    config["DATA_KEYS"] = keys or None
    config["CLINICS_ENABLED"] = bool(keys)
    return config


def _development_keys(instance_path: Path) -> str:
    """Make a data key once and keep it in the instance folder, like the development secret."""
    path = instance_path / "data_keys"
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    instance_path.mkdir(parents=True, exist_ok=True)
    value = new_key_setting("dev1")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value
