"""Render the Markdown in rule files to safe HTML, once, at load time."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

# Two layers keep a rule file from ever injecting script, style, event handlers or javascript: links.
# 1. The renderer drops raw HTML (tags, comments, <script> blocks) and turns a link whose address is
#    not https, http or mailto into its plain words, so neither the markup nor the address reaches
#    the page, not even as visible text.
# 2. nh3 sanitizes the output with an allow-list of tags, attributes and URL schemes.
_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "blockquote", "h3", "h4"}
_ATTRIBUTES = {"a": {"href", "title"}}
_SCHEMES = {"https", "http", "mailto"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")


def _allowed(href: str | None) -> bool:
    """Tell whether a link address is absolute with an allowed scheme (relative links have no use here)."""
    found = _SCHEME.match((href or "").strip())
    return found is not None and found.group(1).lower() in _SCHEMES


def _inert(state: StateCore) -> None:
    """Drop raw HTML and images, and unwrap links to addresses that are not allowed."""
    state.tokens = [t for t in state.tokens if t.type != "html_block"]
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        kept = []
        links: list[tuple[bool, bool]] = []  # per open link: (allowed, autolink)
        for token in block.children:
            if token.type == "link_open":
                links.append((_allowed(str(token.attrGet("href") or "")), token.markup == "autolink"))
                if links[-1][0]:
                    kept.append(token)
                continue
            if token.type == "link_close":
                if not links or links.pop()[0]:
                    kept.append(token)
                continue
            if any(not ok and auto for ok, auto in links):
                continue  # the words of a refused autolink are its address: drop them too
            if token.type in ("html_inline", "image"):
                continue
            kept.append(token)
        block.children = kept


_RENDERER = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
# Parse every link (javascript:, data: and relative ones included) so that _inert can unwrap it,
# rather than leave "[words](javascript:...)" on the page as literal text.
_RENDERER.validateLink = lambda url: True  # type: ignore[method-assign]
_RENDERER.core.ruler.push("inert", _inert)


def render(text: str) -> str:
    """Return sanitized HTML for a Markdown text."""
    html = _RENDERER.render(text)
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel="noopener noreferrer")
    return _EMPTY_PARAGRAPH.sub("", clean).strip()


def links(text: str) -> list[str]:
    """Return the address of every link in a Markdown text."""
    found: list[str] = []

    def walk(tokens: list) -> None:  # type: ignore[type-arg]
        for token in tokens:
            if token.type == "link_open":
                found.append(str(token.attrGet("href") or ""))
            if token.children:
                walk(token.children)

    walk(_PARSER.parse(text))
    return found
