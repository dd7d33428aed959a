"""The hostile-input campaign: 10,000+ generated requests, zero responses of 500 or more.

Four categories, each a seeded generator with a fixed number of cases, run through the Flask test
client against an app configured as in production (``testing`` off, exceptions turned into
responses, the production 16 KB request limit):

- form posts to every page, with a valid CSRF token and without, random field names and values,
  repeated fields, odd Unicode, lone surrogates, NUL bytes, invalid UTF-8, huge values, other
  content types, and ``?return=`` open-redirect attempts;
- API bodies: wrong types, huge numbers, deep nesting, odd Unicode, NUL bytes, random keys, 10,000
  keys, broken JSON, other content types, and random valid answer sets;
- FHIR bodies: QuestionnaireResponses (valid, and mutated: wrong types anywhere, nasty linkIds and
  codes, other questionnaires and versions, wrong resourceType, deep item nesting, thousands of
  items, bodies over the 64 KB FHIR limit), random JSON as FHIR, and odd Accept headers on both
  FHIR addresses;
- session cookies: tampered, truncated, junk, re-signed with another secret, expired, and signed
  with the app's own key around payloads of the wrong shape or from another rule-set version;
- URL paths: random segments, encoded slashes, traversal, NUL bytes, very long paths, and every
  route with every method.

Every response is also checked for what must hold whatever was sent: the security headers are
there, a redirect never leaves the site, and the API never sets a cookie. Each case that breaks a
rule is recorded with its input. Every case is also tallied by its kind and outcome, and
``test_campaign_total`` asserts what each kind must lead to (no form saved without its own token, every
cookie that cannot be opened cleared, every valid answer set assessed); run
``pytest tests/test_hostile_input.py -q -s`` to see the tallies.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes, unquote_to_bytes, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from markupsafe import Markup

from questionnaire import create_app
from questionnaire.answerfile import sample
from questionnaire.model import RuleSet
from questionnaire.web import sessioncookie
from questionnaire.web.sessioncookie import EncryptedSessionInterface, keyring
from tests.pagecheck import Person

CALM = sample("calm")
HEADACHE_NO_FLAGS = sample("parts/no-headache-warning-signs")

QUOTA = {"form posts": 3000, "api bodies": 3000, "fhir bodies": 2000, "session cookies": 2500, "url paths": 2000}
SEED = 20261122
COOKIE = "fq_session"
REQUIRED_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
)
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND")

# Fragments that have broken web apps before: NUL and other controls, bidi overrides, zero-width and
# combining marks, a BOM, astral characters, a lone surrogate, HTML/template/SQL/path syntax, CRLF.
NASTY = [
    "\x00",
    "\x01\x02\x1b[31m",
    "\r\nSet-Cookie: x=1",
    "\u202e",
    "\u200b\u200d",
    "e\u0301\u0301\u0301",
    "\ufeff",
    "\U0001f600",
    "\U0010ffff",
    "\ud800",
    "\udfff",
    "\uffff",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "'; DROP TABLE x; --",
    "../../etc/passwd",
    "%00",
    "%2e%2e%2f",
    "javascript:alert(1)",
    "\\\\evil.example",
    "//evil.example",
    "ＡＢＣ",
    "İı",
    "ß",
    "\u0085\u2028\u2029",
]


@dataclass
class Campaign:
    """Count the cases per category, kind and outcome, and keep every one that broke a rule, with its input."""

    counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    #: Per category and kind of case, how many ran and how each ended: "saved" (a form accepted and
    #: redirected on), "cleared" (the cookie was deleted), or the status class ("2xx", "4xx", ...).
    outcomes: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)

    def record(
        self, category: str, kind: str, response: Any, described: Callable[[], str], *, api: bool = False
    ) -> None:
        self.counts[category] = self.counts.get(category, 0) + 1
        status = response.status_code
        by_status = self.statuses.setdefault(category, {})
        by_status[status] = by_status.get(status, 0) + 1
        tally = self.outcomes.setdefault(category, {}).setdefault(kind, Counter())
        tally["cases"] += 1
        tally[f"{status // 100}xx"] += 1
        if status == 303:
            tally["saved"] += 1
        if any(h.startswith(f"{COOKIE}=;") for h in response.headers.getlist("Set-Cookie")):
            tally["cleared"] += 1
        problems = []
        if status >= 500:
            problems.append(f"status {status}")
        missing = [h for h in REQUIRED_HEADERS if h not in response.headers]
        if missing:
            problems.append(f"missing headers {missing}")
        location = response.headers.get("Location")
        if location is not None and not on_site(location):
            problems.append(f"redirect off-site to {location!r}")
        if api:
            if response.headers.get("Set-Cookie"):
                problems.append("the API set a cookie")
            if "Cookie" in response.headers.get("Vary", ""):
                problems.append("the API varied on the cookie (it read the session)")
        if problems:
            self.failures.append(f"[{category}] {'; '.join(problems)}: {described()[:400]}")
        response.close()

    def report(self, category: str) -> str:
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.get(category, {}).items()))
        return f"{category}: {self.counts.get(category, 0)} cases (statuses {codes})"


def on_site(location: str) -> bool:
    """Tell whether a Location header stays on this site: a path, never another host."""
    parts = urlsplit(location)
    if parts.scheme or parts.netloc:
        return parts.netloc in ("localhost", "127.0.0.1") and parts.scheme in ("http", "https")
    return location.startswith("/") and not location.startswith(("//", "/\\")) and "\\" not in location


# --- the app, and people at known points of the questionnaire -------------------------------------


@dataclass
class Snapshot:
    """A session cookie value at a known point, with the CSRF token of its pages."""

    name: str
    cookie: str
    token: str
    page: str  # the page a valid post would go to


@dataclass
class Target:
    app: Flask
    ruleset: RuleSet
    snapshots: list[Snapshot]
    cookies: EncryptedSessionInterface


def production_like_app(instance: Path) -> Flask:
    app = create_app({"SECRET_KEY": "hostile-campaign-" + "k" * 32, "INSTANCE_PATH": str(instance)})
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def _snapshot(app: Flask, name: str, answers: dict[str, Any] | None, stop_at: str | None) -> Snapshot:
    client = app.test_client()
    person = Person(client)
    if answers is None:
        person.get("/questions/about")
    else:
        person.walk(answers, stop_at=stop_at)
    if person.soup is None or person.soup.find("input", attrs={"name": "csrf_token"}) is None:
        person.get("/questions/about")
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return Snapshot(name, cookie.value, person.token(), person.path)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Target:
    app = production_like_app(tmp_path_factory.mktemp("hostile"))
    ruleset = app.extensions["rules"].ruleset
    urgent = {**CALM, "headaches": "weekly", **HEADACHE_NO_FLAGS, "sudden_severe_headache": "yes"}
    snapshots = [
        _snapshot(app, "fresh", None, None),
        _snapshot(app, "halfway", CALM, "stress"),
        _snapshot(app, "urgent", urgent, None),
        _snapshot(app, "done", CALM, None),
    ]
    return Target(app, ruleset, snapshots, app.session_interface)


def seeded(stream: int) -> random.Random:
    """Return the fixed-seed generator of one category: the same cases on every run."""
    return random.Random(SEED + stream)  # noqa: S311 - reproducible test data, not secrets


CAMPAIGN = Campaign()
_RAN: set[str] = set()


# --- generators -----------------------------------------------------------------------------------


def nasty_text(rng: random.Random, longest: int = 40) -> str:
    """Return text mixing ordinary characters, nasty fragments and random code points."""
    parts = []
    for _ in range(rng.randint(0, 4)):
        pick = rng.random()
        if pick < 0.4:
            parts.append(rng.choice(NASTY))
        elif pick < 0.7:
            parts.append(
                "".join(rng.choice("abcdefghijklmnopqrstuvwxyz_0123456789") for _ in range(rng.randint(1, 12)))
            )
        else:
            parts.append("".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 6))))
    text = "".join(parts)
    return text[:longest] if rng.random() < 0.9 else text * rng.randint(1, 200)


def to_bytes(text: str) -> bytes:
    """Encode text as a careless client would: lone surrogates pass through as invalid UTF-8."""
    return text.encode("utf-8", "surrogatepass")


def wsgi_str(raw: bytes) -> str:
    """Return bytes the way a WSGI server hands them over: decoded as latin-1."""
    return raw.decode("latin-1")


def urlencode_pairs(pairs: list[tuple[str, str]]) -> bytes:
    return b"&".join(
        quote_from_bytes(to_bytes(k)).encode() + b"=" + quote_from_bytes(to_bytes(v)).encode() for k, v in pairs
    )


def random_json(rng: random.Random, depth: int = 0, keys: list[str] | None = None) -> Any:
    """Return a random JSON value of any type, sometimes nested, sometimes huge."""
    kind = rng.randrange(12 if depth < 4 else 8)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 2**63, -(2**64), 10**300, rng.randint(-(10**9), 10**9)])
    if kind == 3:
        return rng.choice([0.5, -0.0, 1e308, float("inf"), float("-inf"), float("nan"), 5e-324])
    if kind in (4, 5, 6, 7):
        if keys and rng.random() < 0.5:
            return rng.choice(keys)
        return nasty_text(rng)
    if kind in (8, 9):
        return [random_json(rng, depth + 1, keys) for _ in range(rng.randint(0, 5))]
    return {
        (rng.choice(keys) if keys and rng.random() < 0.5 else nasty_text(rng, 20)): random_json(rng, depth + 1, keys)
        for _ in range(rng.randint(0, 5))
    }


def json_bytes(rng: random.Random, value: Any) -> bytes:
    """Encode as JSON, escaping non-ASCII ("\\ud800") or not (raw bytes, invalid UTF-8 for a lone surrogate)."""
    return to_bytes(json.dumps(value, ensure_ascii=rng.random() < 0.5))


def valid_answers(rng: random.Random, ruleset: RuleSet) -> dict[str, Any]:
    """Return a random answer set that only uses offered options (exclusive ones alone)."""
    answers: dict[str, Any] = {}
    for question in ruleset.questions.values():
        if rng.random() < 0.3:
            continue
        values = [o.value for o in question.options]
        if not question.multiple:
            answers[question.id] = rng.choice(values)
            continue
        exclusive = [o.value for o in question.options if o.exclusive]
        plain = [v for v in values if v not in exclusive]
        if exclusive and rng.random() < 0.3:
            answers[question.id] = [rng.choice(exclusive)]
        else:
            answers[question.id] = rng.sample(plain, rng.randint(1, len(plain)))
    return answers


# --- category 1: form posts -----------------------------------------------------------------------


def _form_fields(rng: random.Random, target: Target, page_id: str) -> list[tuple[str, str]]:
    ruleset = target.ruleset
    page = ruleset.page(page_id)
    own = [q for q in page.questions] if page is not None else []
    every = list(ruleset.questions.values())
    pairs: list[tuple[str, str]] = []
    for question in own:  # usually a sensible answer for each question on the page, sometimes not
        if rng.random() < 0.8:
            pairs.append((question.id, rng.choice([o.value for o in question.options])))
    for _ in range(rng.choice([0, 0, 1, 2, 5])):
        pick = rng.random()
        if pick < 0.3 and own:
            name = rng.choice(own).id  # a repeated field
        elif pick < 0.5:
            name = rng.choice(every).id  # a question from another page
        else:
            name = nasty_text(rng, 30)
        pairs.append((name, nasty_text(rng, 60) if rng.random() < 0.6 else rng.choice(every).options[0].value))
    if rng.random() < 0.05:
        pairs.extend([(own[0].id if own else "x", "yes")] * rng.randint(50, 400))  # too many fields
    if rng.random() < 0.05:
        pairs.append((own[0].id if own else "x", "x" * rng.choice([1000, 1025, 5000, 15000, 20000])))  # huge value
    rng.shuffle(pairs)
    return pairs


def run_form_posts(target: Target, n: int) -> None:
    rng = seeded(1)
    client = target.app.test_client(use_cookies=False)
    pages = [p.id for p in target.ruleset.pages]
    for _ in range(n):
        snapshot = rng.choice(target.snapshots)
        roll = rng.random()
        if roll < 0.6:
            path = f"/questions/{rng.choice(pages)}"
        elif roll < 0.7:
            path = f"/questions/{snapshot.page.rsplit('/', 1)[-1]}"
        elif roll < 0.8:
            path = "/urgent"
        elif roll < 0.85:
            path = "/restart"
        else:
            path = "/questions/" + quote_from_bytes(to_bytes(nasty_text(rng, 30)), safe="")
        page_id = path.rsplit("/", 1)[-1]
        pairs = _form_fields(rng, target, page_id)
        token_roll = rng.random()
        kind = "no token"
        if token_roll < 0.65:
            pairs.insert(rng.randint(0, len(pairs)), ("csrf_token", snapshot.token))
            kind = "own token"
        elif token_roll < 0.75:
            pairs.append(("csrf_token", nasty_text(rng, 100)))
            kind = "junk token"
        elif token_roll < 0.85:
            pairs.extend([("csrf_token", snapshot.token), ("csrf_token", "forged")])
            kind = "own token, then a forged one"
        elif token_roll < 0.9:
            other = rng.choice(target.snapshots)
            pairs.append(("csrf_token", other.token))  # a real token from another session
            kind = "own token" if other is snapshot else "another session's token"
        query = ""
        if rng.random() < 0.25:
            query = "return=" + quote_from_bytes(
                to_bytes(
                    rng.choice(["check", "https://evil.example/", "//evil.example", "/\\evil.example", nasty_text(rng)])
                ),
                safe="",
            )
        if rng.random() < 0.1:
            query += ("&" if query else "") + quote_from_bytes(to_bytes(nasty_text(rng)), safe="=&")
        body_roll = rng.random()
        if body_roll < 0.8:
            body, content_type = urlencode_pairs(pairs), "application/x-www-form-urlencoded"
        elif body_roll < 0.9:
            boundary = "----hostile" + str(rng.randint(0, 10**6))
            chunks = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k.replace(chr(34), "")}"\r\n\r\n'.encode(
                    "utf-8", "surrogatepass"
                )
                + to_bytes(v)
                + b"\r\n"
                for k, v in pairs
            ]
            body = b"".join(chunks) + f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
            content_type = rng.choice(["application/x-www-form-urlencoded", "text/plain", "application/json", ""])
        cookie = snapshot.cookie if rng.random() < 0.9 else ""
        if not cookie and kind.startswith("own token"):
            kind = "a token without its cookie"
        response = client.open(
            path,
            method="POST",
            data=body,
            content_type=content_type or None,
            query_string=query or None,
            headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {},
        )
        CAMPAIGN.record(
            "form posts",
            kind,
            response,
            lambda path=path, query=query, snapshot=snapshot, content_type=content_type, body=body: (
                f"POST {path}?{query} as {snapshot.name} [{content_type}] {body[:300]!r}"
            ),
        )


# --- category 2: API bodies -----------------------------------------------------------------------


#: The kinds of API body, by the roll that picks them (each kind up to its edge).
API_EDGES = (0.25, 0.5, 0.6, 0.65, 0.72, 0.76, 0.8, 0.88, 0.93, 0.96, 1.0)
API_KINDS = (
    "valid answers",
    "random answers",
    "random JSON",
    "unknown fields",
    "deep nesting",
    "huge number",
    "too many answers",
    "corrupted valid body",
    "other content type",
    "UTF-16 or UTF-32",
    "random bytes",
)


def run_api_bodies(target: Target, n: int) -> None:
    rng = seeded(2)
    client = target.app.test_client(use_cookies=False)
    ids = list(target.ruleset.questions)
    values = sorted({o.value for q in target.ruleset.questions.values() for o in q.options})
    for _ in range(n):
        roll = rng.random()
        content_type = "application/json"
        kind = API_KINDS[next(i for i, edge in enumerate(API_EDGES) if roll < edge)]
        if roll < 0.25:
            body = json_bytes(rng, {"answers": valid_answers(rng, target.ruleset)})
        elif roll < 0.5:
            answers = {
                (rng.choice(ids) if rng.random() < 0.6 else nasty_text(rng, 30)): (
                    rng.choice(values) if rng.random() < 0.4 else random_json(rng, 1, values)
                )
                for _ in range(rng.randint(0, 12))
            }
            body = json_bytes(rng, {"answers": answers})
        elif roll < 0.6:
            body = json_bytes(rng, random_json(rng, 0, ["answers", *ids]))
        elif roll < 0.65:
            extra = {nasty_text(rng, 20): random_json(rng, 2) for _ in range(rng.randint(1, 3))}
            body = json_bytes(rng, {"answers": {}, **extra})
        elif roll < 0.72:
            depth = rng.choice([10, 100, 999, 1000, 1001, 3000, 5000, 8000])
            opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
            body = ('{"answers":' + opener * depth + "1" + closer * depth + "}").encode()
        elif roll < 0.76:
            digits = rng.choice([400, 4300, 4301, 5000, 12000])
            number = rng.choice(
                ["9" * digits, "-" + "9" * digits, "1e" + "9" * min(digits, 100), "0." + "0" * digits + "1"]
            )
            body = ('{"answers":{"' + rng.choice(ids) + '":' + number + "}}").encode()
        elif roll < 0.8:
            count = rng.choice([201, 1000, 10_000])
            body = json_bytes(rng, {"answers": {f"k{i}": 1 for i in range(count)}})
        elif roll < 0.88:
            good = json_bytes(rng, {"answers": valid_answers(rng, target.ruleset)})
            cut = rng.randrange(len(good) + 1)
            body = (
                good[:cut]
                + bytes(rng.randrange(256) for _ in range(rng.randint(0, 5)))
                + good[cut + rng.randint(0, 3) :]
            )
        elif roll < 0.93:
            body = json_bytes(rng, {"answers": valid_answers(rng, target.ruleset)})
            content_type = rng.choice(
                [
                    "text/plain",
                    "application/x-www-form-urlencoded",
                    "",
                    "application/json; charset=latin-1",
                    "application/vnd.x+json",
                ]
            )
            if content_type.startswith("application/json; charset") or rng.random() < 0.2:
                body = "\ufeff".encode() + body
        elif roll < 0.96:
            body = json.dumps({"answers": valid_answers(rng, target.ruleset)}).encode(rng.choice(["utf-16", "utf-32"]))
        else:
            body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 2000)))
        method = "POST" if rng.random() < 0.9 else rng.choice(METHODS)
        path = "/api/v1/assessments" if rng.random() < 0.9 else "/api/v1/questionnaire"
        headers = {}
        if rng.random() < 0.3:
            headers["Cookie"] = f"{COOKIE}={rng.choice(target.snapshots).cookie if rng.random() < 0.5 else 'junk.x.y'}"
        if rng.random() < 0.2:
            odd = nasty_text(rng, 30).encode("ascii", "replace").decode().replace("\r", "").replace("\n", "")
            headers["Origin"] = rng.choice(["https://evil.example", "null", odd])
        response = client.open(path, method=method, data=body, content_type=content_type or None, headers=headers)
        if method != "POST" or path != "/api/v1/assessments":
            kind = "other method or address"
        CAMPAIGN.record(
            "api bodies",
            kind,
            response,
            lambda method=method, path=path, content_type=content_type, body=body: (
                f"{method} {path} [{content_type}] {len(body)} bytes {body[:300]!r}"
            ),
            api=True,
        )
        if response.status_code < 500 and method not in ("HEAD", "OPTIONS") and response.mimetype != "application/json":
            CAMPAIGN.failures.append(f"[api bodies] not JSON ({response.mimetype}): {method} {path} {body[:200]!r}")


# --- category 2b: FHIR bodies ----------------------------------------------------------------------


def _fhir_response(rng: random.Random, target: Target) -> dict[str, Any]:
    """Return a QuestionnaireResponse for random valid answers, as this app writes it."""
    from questionnaire import fhir
    from questionnaire.answers import parse_answers

    answers, _ = parse_answers(target.ruleset.questions, valid_answers(rng, target.ruleset))
    canonical = fhir.canonical_for(target.ruleset)
    return fhir.build_response(target.ruleset, canonical, answers, "2026-11-22T09:30:00Z")


def _mutate(rng: random.Random, node: Any, keys: list[str]) -> Any:
    """Return a copy of a JSON value with a few random nodes replaced, dropped or doubled."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            roll = rng.random()
            if roll < 0.05:
                continue
            out[key] = random_json(rng, 2, keys) if roll < 0.12 else _mutate(rng, value, keys)
        if rng.random() < 0.05:
            out[rng.choice(["linkId", "answer", "item", "valueCoding", nasty_text(rng, 10)])] = random_json(
                rng, 2, keys
            )
        return out
    if isinstance(node, list):
        out_list = [_mutate(rng, v, keys) for v in node if rng.random() > 0.05]
        if out_list and rng.random() < 0.1:
            out_list.append(rng.choice(out_list))
        return out_list
    if isinstance(node, str) and rng.random() < 0.1:
        return rng.choice([nasty_text(rng, 40), rng.choice(keys), 0, None, [], {}])
    return node


def _fhir_body(rng: random.Random, target: Target, keys: list[str]) -> bytes:
    roll = rng.random()
    if roll < 0.25:
        return json_bytes(rng, _fhir_response(rng, target))
    if roll < 0.6:
        return json_bytes(rng, _mutate(rng, _fhir_response(rng, target), keys))
    if roll < 0.68:
        response = _fhir_response(rng, target)
        response[rng.choice(["questionnaire", "resourceType", "status"])] = rng.choice(
            [
                "QuestionnaireResponse",
                "Patient",
                "Bundle",
                response["questionnaire"].replace("|", "|9") if "questionnaire" in response else "x",
                response.get("questionnaire", "x").split("|")[0],
                nasty_text(rng, 60),
                random_json(rng, 2, keys),
            ]
        )
        return json_bytes(rng, response)
    if roll < 0.74:
        depth = rng.choice([5, 50, 500, 999, 1001, 4000])
        nested: Any = {"linkId": "sleep_quality", "answer": [{"valueCoding": {"code": "poor"}}]}
        for _ in range(depth):
            nested = {"linkId": rng.choice(keys), "item": [nested]}
        body = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": [nested]}
        body["questionnaire"] = _fhir_response(rng, target)["questionnaire"]
        try:
            return json.dumps(body).encode()
        except RecursionError:
            return ('{"resourceType":"QuestionnaireResponse","item":' + "[" * depth + "]" * depth + "}").encode()
    if roll < 0.8:
        response = _fhir_response(rng, target)
        count = rng.choice([100, 1000, 3000, 6000])
        response["item"] = [{"linkId": rng.choice(keys), "answer": [{"valueCoding": {"code": "x"}}]}] * count
        return json_bytes(rng, response)
    if roll < 0.9:
        return json_bytes(rng, random_json(rng, 0, ["resourceType", "QuestionnaireResponse", "item", *keys]))
    if roll < 0.95:
        return json_bytes(rng, {"answers": valid_answers(rng, target.ruleset)})
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 3000)))


FHIR_TYPES = [
    "application/fhir+json",
    "application/fhir+json; fhirVersion=4.0",
    "application/json+fhir",
    "application/fhir+json; charset=latin-1",
    "application/json",
    "application/fhir+xml",
    "",
]
ACCEPTS = [
    *[None] * 6,
    *["application/fhir+json"] * 3,
    *["application/json", "*/*"] * 2,
    "text/html",
    "application/fhir+json;q=0",
    "application/fhir+json;q=abc, application/json;q=2",
    "application/*;q=0.5, application/fhir+json",
    ";;;,,,*/*;q=",
]


def header_safe(text: str) -> str:
    """Return text a client can put in a header: ASCII, no line breaks (the test client refuses others)."""
    return text.encode("ascii", "replace").decode().replace("\r", "").replace("\n", "")


def run_fhir_bodies(target: Target, n: int) -> None:
    rng = seeded(5)
    client = target.app.test_client(use_cookies=False)
    keys = [*target.ruleset.questions, *(f"page:{p.id}" for p in target.ruleset.pages)]
    for _ in range(n):
        accept = rng.choice(ACCEPTS) if rng.random() < 0.9 else nasty_text(rng, 40)
        headers = {"Accept": header_safe(accept)} if accept is not None else {}
        if rng.random() < 0.1:
            method, path, body, content_type = (
                "GET",
                rng.choice(["/api/v1/fhir/Questionnaire", "/api/v1/fhir/Questionnaire/fibromyalgia-trigger-check"]),
                b"",
                "",
            )
        else:
            method, path = "POST", "/api/v1/assessments"
            body = _fhir_body(rng, target, keys)
            content_type = rng.choice(FHIR_TYPES) if rng.random() < 0.9 else header_safe(nasty_text(rng, 30))
            if rng.random() < 0.03:
                body += b" " * rng.choice([16 * 1024, 64 * 1024, 70 * 1024])
        response = client.open(path, method=method, data=body, content_type=content_type or None, headers=headers)
        CAMPAIGN.record(
            "fhir bodies",
            "questionnaire read" if method == "GET" else "posted body",
            response,
            lambda method=method, path=path, content_type=content_type, headers=headers, body=body: (
                f"{method} {path} [{content_type}] {headers} {len(body)} bytes {body[:300]!r}"
            ),
            api=True,
        )
        if response.mimetype not in ("application/json", "application/fhir+json"):
            CAMPAIGN.failures.append(f"[fhir bodies] not JSON ({response.mimetype}): {method} {path} {body[:200]!r}")


# --- category 3: session cookies ------------------------------------------------------------------


def _seal_raw(target: Target, payload: bytes, *, age: int = 0) -> str:
    """Seal a raw payload with the app's key, as the app does, optionally backdated."""
    return target.cookies.seal(payload, at=sessioncookie.clock() - age)


def _seal(target: Target, data: Any) -> str:
    """Seal data as JSON with the app's key; raise TypeError or ValueError for what JSON cannot hold."""
    return target.cookies.seal(json.dumps(data).encode())


def _odd_python(rng: random.Random) -> Any:
    """Values JSON cannot carry as they are (tuples, bytes, Markup, datetimes, UUIDs) and tagged look-alikes."""
    return rng.choice(
        [
            ("a", "b"),
            b"\x00\xff",
            Markup("<b>x</b>"),
            dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            uuid.UUID(int=rng.getrandbits(128)),
            {" t": ["x"]},
            {" di": {" t": 1}},
        ]
    )


def _wrong_shape(rng: random.Random, target: Target, snapshot: Snapshot) -> Any:
    ids = list(target.ruleset.questions)
    values = sorted({o.value for q in target.ruleset.questions.values() for o in q.options})
    roll = rng.random()
    if roll < 0.15:
        return random_json(rng, 0, ["a", "ack", "v", "csrf_token", *ids])
    data: dict[str, Any] = {"csrf_token": snapshot.token} if rng.random() < 0.3 else {}
    for key in ("a", "ack", "v", "csrf_token", "_permanent"):
        if rng.random() < 0.5:
            continue
        pick = rng.random()
        if pick < 0.3:
            data[key] = random_json(rng, 1, [*ids, *values])
        elif pick < 0.45:
            data[key] = _odd_python(rng)
        elif key == "a":  # answers from another rule-set version: some valid, some gone, some changed
            data[key] = {
                (rng.choice(ids) if rng.random() < 0.7 else nasty_text(rng, 20)): (
                    rng.choice(values) if rng.random() < 0.6 else [rng.choice(values)]
                )
                for _ in range(rng.randint(0, 30))
            }
        elif key == "ack":
            data[key] = [rng.choice(["sudden-severe-headache", nasty_text(rng, 20)]) for _ in range(rng.randint(0, 3))]
        elif key == "v":
            data[key] = rng.choice(["2019.1.0", "", nasty_text(rng, 20), 2026])
        else:
            data[key] = rng.choice([True, False, None, 1, "x"])
    if rng.random() < 0.1:
        data[nasty_text(rng, 10)] = random_json(rng, 2)
    return data


def _cookie_value(rng: random.Random, target: Target, snapshot: Snapshot) -> tuple[str, str]:
    """Return (kind, cookie value)."""
    real = snapshot.cookie
    roll = rng.random()
    if roll < 0.15:
        index = rng.randrange(len(real))
        return "tampered", real[:index] + rng.choice("AZaz09-_.") + real[index + 1 :]
    if roll < 0.25:
        return "truncated", real[: rng.randrange(len(real))]
    if roll < 0.32:
        return "junk", quote_from_bytes(to_bytes(nasty_text(rng, 200)), safe="")
    if roll < 0.37:
        cut = rng.randrange(1, len(real))
        return "reordered", real[cut:] + real[:cut]  # the same characters, in another order
    if roll < 0.45:
        other = EncryptedSessionInterface(keyring("another-secret-" + "z" * 32))
        return "other secret", other.seal(json.dumps({"a": {"sleep_quality": "poor"}, "csrf_token": "0" * 40}).encode())
    if roll < 0.75:
        payload = _wrong_shape(rng, target, snapshot)
        try:
            return "own key, wrong shape", _seal(target, payload)
        except (TypeError, ValueError):
            return "own key, wrong shape", _seal(target, {"a": repr(payload)[:100]})
    if roll < 0.85:
        raw = rng.choice(
            [
                b'{" di": {}}',
                b'{" t": 5}',
                b'{" u": "zz"}',
                b'{" d": "x"}',
                b'{" b": "!!"}',
                b'{" m": 5}',
                b'{" t": {" t": {" t": []}}}',
                b"[" * 5000 + b"]" * 5000,
                b'{"a":' * 3000 + b"1" + b"}" * 3000,
                b"\xff\xfe\x00",
                b"not json",
                b"",
                b"null",
                b'"\\ud800"',
            ]
        )
        return "own key, raw payload", _seal_raw(target, raw)
    if roll < 0.92:
        age = rng.choice([7201, 86_400, 10**6, -(10**6)])
        return "expired", _seal_raw(target, b'{"a":{"sleep_quality":"poor"}}', age=age)
    if roll < 0.96:
        return "huge", "A" * rng.choice([4000, 4096, 8000, 20_000])
    return "several", real + f"; {COOKIE}=" + real[::-1]


def run_session_cookies(target: Target, n: int) -> None:
    rng = seeded(3)
    client = target.app.test_client(use_cookies=False)
    pages = [p.id for p in target.ruleset.pages]
    for _ in range(n):
        snapshot = rng.choice(target.snapshots)
        kind, value = _cookie_value(rng, target, snapshot)
        roll = rng.random()
        method, data, content_type = "GET", b"", None
        if roll < 0.4:
            path = f"/questions/{rng.choice(pages)}"
        elif roll < 0.7:
            path = rng.choice(["/", "/check", "/results", "/summary", "/urgent"])
        else:
            method = "POST"
            path = rng.choice([f"/questions/{rng.choice(pages)}", "/urgent", "/restart"])
            pairs = [("csrf_token", snapshot.token), *_form_fields(rng, target, path.rsplit("/", 1)[-1])[:10]]
            data, content_type = urlencode_pairs(pairs), "application/x-www-form-urlencoded"
        response = client.open(
            path, method=method, data=data, content_type=content_type, headers={"Cookie": f"{COOKIE}={value}"}
        )
        CAMPAIGN.record(
            "session cookies",
            kind,
            response,
            lambda kind=kind, method=method, path=path, value=value: f"{kind}: {method} {path} cookie={value[:300]!r}",
        )


# --- category 4: URL paths ------------------------------------------------------------------------

SEGMENTS = [
    "questions",
    "static",
    "api",
    "v1",
    "assessments",
    "questionnaire",
    "about",
    "sleep",
    "urgent",
    "check",
    "results",
    "summary",
    "restart",
    "preview",
    "style.css",
    "app.py",
    "..",
    ".",
    "%2e%2e",
    "%2E%2e%2F",
    "%2f",
    "%5c",
    "\\",
    "%00",
    "%ff",
    "%c0%af",
    "%e2%80%ae",
    "~",
    "",
    "%25",
    "%u002e",
    ";",
    "?",
    "#",
    "*",
    "secret_key",
    "instance",
    "rules",
    "questions.yaml",
    ".git",
    "config",
]


def _random_path(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.6:
        segments = [rng.choice(SEGMENTS) for _ in range(rng.randint(0, 6))]
        raw = "/" + "/".join(segments)
    elif roll < 0.75:
        raw = rng.choice(["/static/", "/questions/", "/api/v1/", "/"]) + quote_from_bytes(
            to_bytes(nasty_text(rng, 60)), safe="/%"
        )
    elif roll < 0.85:
        raw = rng.choice(
            ["//evil.example", "///evil.example/", "/\\evil.example", "/%2f%2fevil.example", "/%5c%5cevil.example"]
        )
        raw += rng.choice(["", "/", "/questions/about", "/static/style.css"])
    elif roll < 0.93:
        raw = (
            "/"
            + rng.choice(["questions/", "static/", "x/", ""])
            + rng.choice("ab%/") * rng.choice([300, 2000, 5000, 9000])
        )
    else:
        raw = "/static/" + rng.choice(["../", "..%2f", "%2e%2e/", "..\\", "....//", "%252e%252e/"]) * rng.randint(1, 5)
        raw += rng.choice(["app.py", "instance/secret_key", "rules/questions.yaml", "etc/passwd", ".git/config"])
    return raw.encode("utf-8", "surrogatepass")


def _routes(target: Target) -> list[str]:
    routes = ["/", "/restart", "/urgent", "/check", "/results", "/summary", "/preview", "/static/style.css"]
    routes += ["/api/v1/assessments", "/api/v1/questionnaire", "/missing", "/static/missing.css"]
    return routes + [f"/questions/{p.id}" for p in target.ruleset.pages]


def run_url_paths(target: Target, n: int) -> None:
    rng = seeded(4)
    client = target.app.test_client(use_cookies=False)
    fixed = [(method, route) for route in _routes(target) for method in METHODS]
    for i in range(n):
        kind = "every route, every method"
        if i < len(fixed):
            method, route = fixed[i]  # every route with every method, first
            raw = route.encode()
        else:
            kind = "random path"
            method = rng.choice(METHODS[:3]) if rng.random() < 0.8 else rng.choice(METHODS)
            raw = _random_path(rng)
        # A WSGI server percent-decodes the path (%2F becomes /) and hands it over as latin-1.
        path_info = wsgi_str(unquote_to_bytes(raw))
        query = ""
        if rng.random() < 0.3:
            query = quote_from_bytes(to_bytes(nasty_text(rng, 100)), safe="=&")
        headers = {}
        if rng.random() < 0.3:
            headers["Cookie"] = f"{COOKIE}={rng.choice(target.snapshots).cookie}"
        data = None
        if method in ("POST", "PUT", "PATCH") and rng.random() < 0.5:
            data = {"csrf_token": rng.choice(target.snapshots).token}
        response = client.open(
            "/",
            method=method,
            data=data,
            headers=headers,
            environ_overrides={"PATH_INFO": path_info, "QUERY_STRING": query, "RAW_URI": wsgi_str(raw)},
        )
        CAMPAIGN.record(
            "url paths",
            kind,
            response,
            lambda method=method, raw=raw, query=query: f"{method} {raw[:300]!r} ?{query[:100]}",
            api=path_info.startswith("/api/"),
        )


RUNNERS = {
    "form posts": run_form_posts,
    "api bodies": run_api_bodies,
    "fhir bodies": run_fhir_bodies,
    "session cookies": run_session_cookies,
    "url paths": run_url_paths,
}


def run_category(target: Target, category: str) -> None:
    """Run one category once per test session."""
    if category in _RAN:
        return
    RUNNERS[category](target, QUOTA[category])
    _RAN.add(category)


#: The kinds of case each category must have tried, at least once each.
KINDS = {
    "form posts": {"own token", "junk token", "own token, then a forged one", "another session's token", "no token"},
    "api bodies": set(API_KINDS),
    "session cookies": {
        "tampered",
        "truncated",
        "junk",
        "reordered",
        "other secret",
        "own key, wrong shape",
        "own key, raw payload",
        "expired",
        "huge",
        "several",
    },
    "url paths": {"every route, every method", "random path"},
    "fhir bodies": {"questionnaire read", "posted body"},
}


@pytest.mark.parametrize("category", list(QUOTA))
def test_hostile_category_never_gets_a_500(target, category) -> None:
    started = time.perf_counter()
    run_category(target, category)
    seconds = time.perf_counter() - started
    kinds = CAMPAIGN.outcomes[category]
    assert sum(k["cases"] for k in kinds.values()) == CAMPAIGN.counts[category] == QUOTA[category]
    assert KINDS[category] <= set(kinds), f"kinds never tried: {KINDS[category] - set(kinds)}"
    mine = [f for f in CAMPAIGN.failures if f.startswith(f"[{category}]")]
    print(f"\n{CAMPAIGN.report(category)} in {seconds:.1f} s")
    for kind, tally in sorted(kinds.items()):
        print(f"  {kind}: {dict(sorted(tally.items()))}")
    assert not mine, f"{len(mine)} bad responses, first ones:\n" + "\n".join(mine[:10])


def test_campaign_total(target) -> None:
    """Every case ran and ended as its kind must.

    No form is saved without its own token, every cookie that cannot be opened is cleared, every
    valid answer set is assessed, every route is tried with every method.
    """
    for category in QUOTA:
        run_category(target, category)  # runs only what this session has not run yet (e.g. with -k)
    out = CAMPAIGN.outcomes
    total = sum(t["cases"] for kinds in out.values() for t in kinds.values())
    five_hundreds = sum(t["5xx"] for kinds in out.values() for t in kinds.values())
    print(
        "\nhostile-input campaign\n  "
        + "\n  ".join(CAMPAIGN.report(c) for c in QUOTA)
        + f"\n  total: {total} cases, {five_hundreds} of 500 or more"
    )
    assert total == sum(CAMPAIGN.counts.values()) >= 10_000
    assert five_hundreds == 0
    forms = out["form posts"]
    for kind in ("junk token", "another session's token", "no token", "a token without its cookie"):
        if kind in forms:
            assert forms[kind]["saved"] == 0 and forms[kind]["2xx"] == 0, (kind, forms[kind])
    assert forms["own token"]["saved"] > 0
    cookies = out["session cookies"]
    for kind in ("other secret", "expired", "huge", "reordered"):  # none of these can be opened: all cleared
        assert cookies[kind]["cleared"] == cookies[kind]["cases"], (kind, cookies[kind])
    for kind in ("tampered", "truncated"):  # a change may leave the cookie as it was, or empty
        assert cookies[kind]["cleared"] > cookies[kind]["cases"] // 2, (kind, cookies[kind])
    api = out["api bodies"]
    assert api["valid answers"]["2xx"] == api["valid answers"]["cases"] > 0
    for kind in ("unknown fields", "deep nesting", "too many answers", "random bytes"):
        assert api[kind]["4xx"] == api[kind]["cases"], (kind, api[kind])
    routes = out["url paths"]["every route, every method"]["cases"]
    assert routes == len(_routes(target)) * len(METHODS)
    assert not CAMPAIGN.failures, "\n".join(CAMPAIGN.failures[:10])


def test_campaign_pages_were_really_exercised(target) -> None:
    """Guard against a campaign that only ever hits one error path: many statuses occur."""
    for category in QUOTA:
        run_category(target, category)
    seen = {s for c in QUOTA for s in CAMPAIGN.statuses[c]}
    assert {200, 303, 400, 404, 405, 413}.issubset(seen), seen
    assert CAMPAIGN.statuses["form posts"].get(303, 0) > 100  # valid posts went through
    assert CAMPAIGN.statuses["api bodies"].get(200, 0) > 500  # valid answer sets were assessed
    fhir = CAMPAIGN.statuses["fhir bodies"]
    assert fhir.get(200, 0) > 300 and fhir.get(400, 0) > 300  # responses assessed and refused
    assert {406, 413, 415}.issubset(fhir), fhir
    html = target.app.test_client().get("/questions/about").get_data(as_text=True)
    assert BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
