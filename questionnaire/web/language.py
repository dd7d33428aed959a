"""Choose the language of a page: the person's own choice, else their browser's, else English.

A language is offered only when both halves exist: an interface catalogue in
``web/translations/<code>/`` and content the rules holder reports complete
(``RulesHolder.languages()``). The choice is kept where the answers are (key ``"l"`` of the stored
state, so an invited patient's draft keeps it too); clinicians choose for themselves, in their own
session, so a patient's language never changes the clinic's pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.support import NullTranslations
from flask import Blueprint, Flask, g, has_request_context, redirect, request, session
from flask_babel import force_locale, get_translations
from markupsafe import Markup, escape
from werkzeug.wrappers import Response as BaseResponse

from ..model import Language
from . import state
from .answerstore import CLINIC_LANGUAGE, LANGUAGE, sessionless
from .display import _local

language = Blueprint("language", __name__)

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
#: The language the interface is written in; it needs no catalogue.
SOURCE = "en"
#: Where the clinicians' pages live; their language is the clinician's own choice.
STAFF_PREFIX = "/clinic"


@cache
def catalogued() -> frozenset[str]:
    """Return the languages that have an interface catalogue (English always has one: the source)."""
    found = {p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    return frozenset(found | {SOURCE})


def content_languages() -> dict[str, Language]:
    """Return the content languages that are complete now (code -> name, reviewed, review date)."""
    return state.holder().languages()


def offered() -> list[tuple[str, str]]:
    """Return (code, name in that language) of every language with an interface and complete content."""
    content = content_languages()
    return [(code, info.name) for code, info in content.items() if code in catalogued()]


def _staff(path: str) -> bool:
    return path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/")


def _from_browser(codes: list[str]) -> str:
    return request.accept_languages.best_match(codes) or SOURCE


def current() -> str:
    """Return the language of this request's pages (also Flask-Babel's locale selector)."""
    if not has_request_context():
        return SOURCE
    found: str | None = g.get("language")
    if found is None:
        found = g.language = _choose()
    return found


def english(text: object) -> Markup:
    """Return text escaped, marked lang="en" on a page in another language, for screen readers.

    For English that stays English by design: the rule files' own texts shown for editing in the author
    mode, and the core's check and problem messages (written for the content team, naming file:line).
    """
    if current() == SOURCE:
        return escape(text)
    return Markup('<span lang="en">{}</span>').format(text)


def lang_en() -> Markup:
    """Return ` lang="en"` for an element holding English on a page in another language, else nothing."""
    return Markup("") if current() == SOURCE else Markup(' lang="en"')


def _choose() -> str:
    codes = [code for code, _ in offered()]
    if sessionless(request):  # the API and static files never read the cookie
        return _from_browser(codes)
    # An invited patient who chose on the clinic's landing page chose before the draft existed,
    # so the cookie's choice stands until the draft has one.
    staff = _staff(request.path)
    chosen = session.get(CLINIC_LANGUAGE) if staff else state.language() or session.get(LANGUAGE)
    return chosen if chosen in codes else _from_browser(codes)


#: Each way pages write a date or time: strftime for English (the pages' long-standing wording), else
#: the language's own CLDR date format ("long" or "medium"), with the time (UTC) after it when asked.
DATE_STYLES = {
    "long_date": ("%-d %B %Y", "long", False),
    "short_date": ("%-d %b %Y", "medium", False),
    "long_date_and_time": ("%-d %B %Y, %H:%M", "long", True),
    "short_date_and_time": ("%-d %b %Y %H:%M", "medium", True),
    "day_and_time": ("%-d %b %Y, %H:%M", "medium", True),
}


def when(value: date | datetime, style: str) -> str:
    """Write a date (or a time in UTC) the way this page's language does, in one of ``DATE_STYLES``."""
    english, length, with_time = DATE_STYLES[style]
    code = current()
    if code == SOURCE:
        return value.strftime(english)
    day = format_date(value, length, locale=code)
    return f"{day}, {value:%H:%M}" if with_time else day


def long_date(value: date | datetime) -> str:
    """Write a day in full: '14 March 2027' ('14 de marzo de 2027' in Spanish)."""
    return when(value, "long_date")


def review_pending() -> bool:
    """Tell whether this page's language is a translation no qualified medical translator has reviewed yet."""
    code = current()
    info = content_languages().get(code)
    return code != SOURCE and info is not None and not info.reviewed


@language.get("/language")
def change() -> BaseResponse:
    """Remember the chosen language and go back to the same page, every answer kept.

    A plain link, like the text-size switch: it changes only which words pages use, never answers, so
    it needs no form. On a clinician's page it sets the clinician's own language instead.
    """
    back = _local(request.args.get("next"))
    code = request.args.get("lang", "")
    if code in {c for c, _ in offered()}:
        if _staff(back):
            session[CLINIC_LANGUAGE] = code
        else:
            state.save_language(code)
    return redirect(back, 303)


def translations() -> NullTranslations:
    """Return this request's catalogue, looked up once per request (templates ask for it per string)."""
    found: NullTranslations | None = g.get("translations")
    if found is None:
        found = g.translations = get_translations()
    return found


def install_template_gettext(app: Flask) -> None:
    """Give templates gettext functions that find the catalogue once per request.

    Flask-Babel's own look the catalogue up again for every string; a results page has about 40,
    which cost a quarter of its time (profiled with the results page of weekly-headaches).
    """
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda text: translations().ugettext(text),
        ngettext=lambda one, many, n: translations().ungettext(one, many, n),
        pgettext=lambda context, text: translations().upgettext(context, text),
        npgettext=lambda context, one, many, n: translations().unpgettext(context, one, many, n),
        newstyle=True,  # Jinja fills in the named placeholders and escapes them, as with Flask-Babel's own
    )


@contextmanager
def forced(code: str) -> Iterator[None]:
    """Render in another language for a moment (the author mode's English preview)."""
    kept = g.pop("translations", None)
    try:
        with force_locale(code):
            yield
    finally:
        g.pop("translations", None)
        if kept is not None:
            g.translations = kept
