"""Put the person's own answers into sentences: placeholders, labels inside a sentence, lists in words."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_-]*)\}")


def placeholders(template: str) -> list[str]:
    """Return the question ids a reason quotes, in order."""
    return PLACEHOLDER.findall(template)


def split_template(template: str) -> tuple[str, ...]:
    """Split a reason into text and placeholder ids: text, id, text, id, ..., text."""
    return tuple(PLACEHOLDER.split(template))


def quote_label(label: str) -> str:
    """Lower the first letter of a label so it reads inside a sentence; keep acronyms."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def join_words(words: list[str], conjunction: str = "and") -> str:
    """Join words as a person would: 'a', 'a and b', 'a, b and c' (or 'a, b y c' given "y")."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]
