"""Render the Markdown in rule files to safe HTML, once, at load time."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# Raw HTML is off in the parser and nh3 sanitizes the output as well, so a rule
# file can never inject script, style, event handlers or javascript: links.
_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "blockquote", "h3", "h4"}
_ATTRIBUTES = {"a": {"href", "title"}}
_SCHEMES = {"https", "http", "mailto"}


def render(text: str) -> str:
    """Return sanitized HTML for a Markdown text."""
    html = _PARSER.render(text)
    return nh3.clean(
        html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel="noopener noreferrer"
    ).strip()


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
