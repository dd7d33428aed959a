"""Display preferences that work without JavaScript: a larger text size, kept in a cookie of its own."""

from __future__ import annotations

from flask import Blueprint, Request, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

display = Blueprint("display", __name__)

#: The preference is not health data, so it lives apart from the answers and survives "Clear my answers".
COOKIE = "fq_text"
SIZES = ("standard", "large")
ONE_YEAR = 365 * 24 * 60 * 60


def text_size(req: Request) -> str:
    """Return the text size this browser asked for."""
    size = req.cookies.get(COOKIE, "standard")
    return size if size in SIZES else "standard"


def _local(path: str | None) -> str:
    """Return the page to go back to, only ever a path on this site."""
    if path and path.startswith("/") and not path.startswith(("//", "/\\")) and len(path) <= 200:
        return path
    return url_for("pages.start")


@display.get("/display/text-size")
def text_size_change() -> BaseResponse:
    """Remember the chosen text size and go back to the page the person was on.

    A plain link, like a language switch: it changes only how pages look, never answers, so it
    needs no form or session (a page that sets no cookie stays without one).
    """
    size = request.args.get("size", "standard")
    response = redirect(_local(request.args.get("next")), 303)
    if size == "large":
        response.set_cookie(COOKIE, "large", max_age=ONE_YEAR, httponly=True, samesite="Lax", secure=request.is_secure)
    else:
        response.delete_cookie(COOKIE, httponly=True, samesite="Lax", secure=request.is_secure)
    return response
