"""Find links in Markdown texts that point nowhere."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from .. import markdown
from ..problems import Problem
from .patienttext import PatientText, SourceLines, paragraphs

# Text that looks like [words](address) but that Markdown did not turn into a link,
# because the address has a space or an unsafe scheme such as javascript:.
# One level of parentheses inside the address is allowed, as in javascript:alert(1).
_LOOKS_LIKE_LINK = re.compile(r"\[[^\]]*\]\(((?:[^()]|\([^()]*\))*)\)?")
ALLOWED_SCHEMES = ("https", "http", "mailto")


def judge(href: str) -> tuple[str, str] | None:
    """Return (severity, message) for an address that points nowhere, or None when it is fine."""
    address = href.strip()
    if not address:
        return "error", "a link has no address; put the full https:// address between the brackets"
    if any(c.isspace() for c in address):
        return "error", f"the link address '{address}' contains a space; remove it or write %20"
    scheme = urlsplit(address).scheme.lower()
    if scheme == "javascript":
        return "error", f"the link '{address}' runs a script; link to an https:// page instead"
    if not scheme:
        return (
            "error",
            f"the link '{address}' does not start with https://, so it points nowhere; write the full address",
        )
    if scheme not in ALLOWED_SCHEMES:
        return "error", f"the link '{address}' uses '{scheme}:', which the app will not link; use https:// or mailto:"
    parts = urlsplit(address)
    if scheme == "mailto" and not parts.path:
        return "error", "the mailto: link has no email address after it"
    if scheme in ("http", "https") and not parts.netloc:
        return "error", f"the link '{address}' has no site name after {scheme}://"
    if scheme == "http":
        return "warning", f"the link '{address}' is not secure; use https:// if the site offers it"
    return None


def check_links(texts: list[PatientText], directory: Path) -> list[Problem]:
    """Return a problem for each Markdown link that points nowhere."""
    problems: list[Problem] = []
    sources: dict[str, SourceLines] = {}
    for item in texts:
        if not item.markdown:
            continue
        lines = sources.setdefault(item.file, SourceLines(directory / Path(item.file).name))
        found = [(href, href) for href in markdown.links(item.text)]
        for para in paragraphs(item.text):
            found += [(m.group(1) or "", m.group(0)) for m in _LOOKS_LIKE_LINK.finditer(para.text)]
        for href, needle in found:
            verdict = judge(href)
            if verdict is None and needle != href:
                verdict = ("error", f"'{needle}' looks like a link but is not one; check the brackets and the address")
            if verdict is None:
                continue
            severity, message = verdict
            line, column = lines.find(needle or "]()", item.line, (item.line, item.column))
            problems.append(Problem(item.file, line, column, f"{message} (in {item.what})", severity, "broken-link"))
    return problems
