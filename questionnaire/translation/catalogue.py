"""Read and write the content's translation catalogues: one gettext PO file per rule file and language.

``rules/locales/es/questions.po`` holds the Spanish of ``rules/questions.yaml``. Each entry carries the
text's context (``question/headaches/text``) as ``msgctxt``, the English as ``msgid``, where it is
written and what it is as comments, and the translation as ``msgstr``. Translators can use any PO
editor (Poedit, Weblate); ``update`` keeps their work when the English changes and marks what to redo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, write_po

from ..model import RuleSet
from ..problems import Problem
from .walk import Text, extract

#: Where a language's catalogues live, under the rules folder.
LOCALES = "locales"


@dataclass(frozen=True, slots=True)
class Entry:
    """Hold one translation as the catalogue has it, and the line it starts on."""

    context: str
    english: str
    translation: str
    #: Marked "fuzzy" by ``update`` or a translator: the English changed and the translation needs a look.
    fuzzy: bool
    line: int


def catalogue_path(rules_dir: Path, language: str, rule_file: str) -> Path:
    """Return the catalogue that holds a rule file's translations into a language."""
    return rules_dir / LOCALES / language / (Path(rule_file).stem + ".po")


def languages_on_disk(rules_dir: Path) -> list[str]:
    """Return the languages that have a folder of catalogues, in alphabetical order."""
    folder = rules_dir / LOCALES
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def by_file(texts: list[Text]) -> dict[str, list[Text]]:
    """Group texts by the rule file they are written in (its bare name, such as questions.yaml)."""
    grouped: dict[str, list[Text]] = {}
    for text in texts:
        grouped.setdefault(Path(text.location.file).name, []).append(text)
    return grouped


def read(path: Path, shown_as: str) -> tuple[dict[str, Entry], list[Problem]]:
    """Return a catalogue's entries by context, and its problems (unreadable, duplicate, no context)."""
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except (OSError, PoFileError, UnicodeDecodeError, ValueError) as exc:
        line = getattr(exc, "lineno", 1) or 1
        return {}, [Problem(shown_as, line, 1, f"this catalogue cannot be read: {exc}; fix it in a PO editor")]
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    for message in catalog:
        if not message.id:
            continue  # the header
        line = message.lineno or 1
        if not message.context:
            problems.append(
                Problem(shown_as, line, 1, "this entry has no msgctxt; every content text is found by its context")
            )
            continue
        if not isinstance(message.id, str) or not isinstance(message.string, str):
            problems.append(Problem(shown_as, line, 1, "content texts have no plural forms; use msgid and msgstr"))
            continue
        entries[message.context] = Entry(message.context, message.id, message.string, message.fuzzy, line)
    return entries, problems


def update(ruleset: RuleSet, rules_dir: Path, language: str) -> list[Path]:
    """Write the language's catalogues for the current English, keeping every translation still usable.

    An entry whose English changed keeps its old translation, marked fuzzy with the old English
    beside it (``#| msgid``), so the translator sees what changed; entries for texts that are gone
    are kept at the end as obsolete (``#~``) in case the text comes back. Returns the files written.
    """
    written: list[Path] = []
    for rule_file, texts in by_file(extract(ruleset)).items():
        path = catalogue_path(rules_dir, language, rule_file)
        old: dict[str, Entry] = read(path, str(path))[0] if path.exists() else {}
        catalog = Catalog(
            locale=language,
            project=f"{ruleset.name} ({rule_file})",
            version=ruleset.version,
            creation_date=datetime(2026, 1, 1, tzinfo=UTC),
            revision_date=datetime(2026, 1, 1, tzinfo=UTC),
            fuzzy=False,
            header_comment=(
                f"# The {language} translation of rules/{rule_file}: one entry per text, found by its msgctxt.\n"
                f"# Refresh after an English change with: python -m questionnaire translations update {language}\n"
                "# Entries marked fuzzy have English that changed since they were translated; check, then unmark."
            ),
            last_translator="",
            language_team="",
            msgid_bugs_address="",
        )
        for text in texts:
            before = old.pop(text.context, None)
            translation = before.translation if before else ""
            changed = before is not None and before.english != text.english
            # A kept translation of changed English needs a look; so does one already marked.
            fuzzy = bool(translation) and (changed or (before is not None and before.fuzzy))
            comments = [text.what] + (
                ["Markdown: keep the list marks, links and blank lines."] if text.markdown else []
            )
            catalog.add(
                text.english,
                translation,
                locations=[(rule_file, text.location.line)],
                flags={"fuzzy"} if fuzzy else (),
                auto_comments=comments,
                previous_id=before.english if changed and before else (),
                context=text.context,
            )
        for gone in old.values():
            if gone.translation:
                catalog.obsolete[(gone.english, gone.context)] = Message(
                    gone.english, gone.translation, context=gone.context
                )
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = BytesIO()
        write_po(buffer, catalog, width=100, include_previous=True, sort_output=False)
        path.write_bytes(_stable(buffer.getvalue()))
        written.append(path)
    return written


def _stable(po: bytes) -> bytes:
    # Babel stamps the tool's version in the header; leave it out so the file changes only with content.
    return b"\n".join(line for line in po.split(b"\n") if not line.startswith(b'"Generated-By:'))
