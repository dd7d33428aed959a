"""The author mode at /author: edit every text and condition in a browser, preview, check and save (development only).

Each edit goes edit form -> preview (a before/after diff, check, examples, coverage and the live walk,
all on a copy of the rules) -> save. Saving writes only the edited values (ruamel.yaml round trip,
comments and layout kept), raises the version, and refuses an edit that would break the rule set or
a file that changed since the form was opened. Plain form posts do everything; there is no script.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_pgettext as _lp
from markupsafe import Markup
from werkzeug.wrappers import Response

from ..authoring import draft, yamledit
from ..authoring.conditiondraft import OPERATORS, ConditionDraft, Row, fit
from ..loader import _display_base
from . import authorforms, authorwalk
from .errors import render_error
from .language import english, forced, lang_en
from .state import holder, rules

author = Blueprint("author", __name__, url_prefix="/author")
_save_lock = threading.Lock()
#: Form limits for author pages: a topic's education and the draft carried through the preview are larger
#: than any patient form (see limits.py for the patient limits).
LIMITS = {"max_content_length": 512 * 1024, "max_form_memory_size": 64 * 1024, "max_form_parts": 2000}
#: The condition builder's tests, in the page's language (conditiondraft.OPERATORS has them in English).
OPERATOR_WORDS = {
    "equals": _lp("condition test", "is"),
    "one_of": _lp("condition test", "is one of"),
    "includes_any": _lp("condition test", "includes any of"),
    "includes_all": _lp("condition test", "includes all of"),
    "includes_at_least": _lp("condition test", "includes at least (count) of"),
    "answered": _lp("condition test", "is answered / not answered"),
}
if set(OPERATOR_WORDS) != set(OPERATORS):  # a new operator needs its words here too
    raise RuntimeError("label each operator of authoring/conditiondraft.py in web/author.py")
# The author mode edits the English rule files: their texts, and the core's check messages, stay English
# on a page in another language and are marked lang="en" with these (see language.english).
author.add_app_template_filter(english, "english")
author.add_app_template_global(lang_en, "lang_en")


def enabled() -> bool:
    """Tell whether the author mode is on (development only)."""
    return bool(current_app.config.get("AUTHOR"))


def raise_limits() -> None:
    """Give author pages room for long texts; registered before CSRF so the larger form is read once."""
    if enabled() and request.path.startswith("/author"):
        for name, value in LIMITS.items():
            setattr(request, name, value)


@author.before_request
def only_when_enabled() -> None:
    """Hide the author mode unless it is on: a 404 in production."""
    if not enabled():
        abort(404)


def folder() -> Path:
    """Return the rules folder being served and edited."""
    return Path(current_app.config["RULES_DIR"])


def display() -> str:
    """Name the rules folder as check does, relative to the working folder."""
    return _display_base(folder()).rstrip("/") or "."


def english_rules() -> Any:
    """Return the rule set as its English files say, whatever the page's language: the files being edited.

    The page's own words follow the chosen language; the rule set in that language (rules()) is only
    for the header and footer, passed to the templates as ``site``.
    """
    return holder().current()


def fingerprint(text: str) -> str:
    """Return a short fingerprint of a file's text, to tell whether it changed since a form was opened."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@author.errorhandler(yamledit.EditError)
def refuse(error: yamledit.EditError) -> tuple[str | dict[str, object], int]:
    """Explain a file the author mode will not rewrite (its layout would change) instead of failing."""
    return render_error(400, english(str(error)))


def _file(kind: str) -> yamledit.EditableFile:
    if kind not in yamledit.KINDS:
        abort(404)
    name = yamledit.KINDS[kind][0]
    return yamledit.EditableFile.parse(name, (folder() / name).read_text(encoding="utf-8"))


def _item(kind: str, item_id: str, editable: yamledit.EditableFile) -> Any:
    try:
        return yamledit.find(editable.data, kind, item_id)
    except yamledit.EditError:
        abort(404)


@author.get("")
def index() -> str:
    """List everything that can be edited, with check, examples and coverage of the rules as they are."""
    return render_template(
        "author/index.html", ruleset=english_rules(), site=rules(), summary=draft.current(folder(), display())
    )


@author.route("/try", methods=["GET", "POST"])
def try_it() -> str:
    """Walk the branching with answers the editor picks, on the rules as they are."""
    ruleset = english_rules()
    picks = authorwalk.picks_from_form(ruleset, request.form) if request.method == "POST" else {}
    return render_template("author/try.html", ruleset=ruleset, site=rules(), walk=authorwalk.walk(ruleset, picks))


@author.get("/<kind>/<item_id>")
def edit(kind: str, item_id: str) -> str:
    """Show the form for one item, filled from its file."""
    editable = _file(kind)
    item = _item(kind, item_id, editable)
    values = authorforms.values_from_data(kind, yamledit.plain(item))
    saved = request.args.get("saved")
    summary = draft.current(folder(), display()) if saved else None
    return _form(kind, item_id, values, fingerprint(editable.text), saved=saved, summary=summary)


@author.post("/<kind>/<item_id>")
def submit(kind: str, item_id: str) -> str | Response | tuple[str, int]:
    """Refresh the pick lists, preview the edit, go back to editing, or save."""
    editable = _file(kind)
    item = _item(kind, item_id, editable)
    values = authorforms.values_from_form(kind, request.form, yamledit.plain(item))
    action = request.form.get("action", "preview")
    base = request.form.get("base", "")
    if action.startswith("add-"):
        draft_value = values.get(action[4:])
        if isinstance(draft_value, ConditionDraft) and draft_value.text is None:
            draft_value.rows.append(Row())
    if action in ("refresh", "edit") or action.startswith("add-"):
        return _form(kind, item_id, values, base)
    if base != fingerprint(editable.text):
        message = gettext(
            "%(file)s changed since you opened this form (someone else saved, or it was edited in a text "
            "editor), so nothing was saved. Your text is still in the form below: copy what you need, then open "
            "the item again to start from the file as it is now.",
            file=editable.name,
        )
        return _form(kind, item_id, values, base, refused=[message]), 409
    problems = authorforms.apply(kind, item, values)
    if problems:
        return _form(kind, item_id, values, base, refused=problems), 400
    changed = {editable.name: editable.dumped()}
    verdict = draft.try_edit(folder(), display(), changed)
    if action != "save" or verdict.reasons:
        return _preview(kind, item_id, values, base, editable, changed, verdict)
    version = _save(editable)
    return redirect(url_for("author.edit", kind=kind, item_id=item_id, saved=version), code=303)


def _save(editable: yamledit.EditableFile) -> str:
    """Write the edited file and the raised version, each replaced whole so no reader sees half a file."""
    with _save_lock:
        texts = {editable.name: editable.dumped()}
        meta = editable if editable.name == "ruleset.yaml" else _file("ruleset")
        version = yamledit.raise_version(meta.data)
        texts[meta.name] = meta.dumped()
        for name, text in texts.items():
            target = folder() / name
            partial = target.with_suffix(".yaml.saving")
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, target)
        holder().refresh()
    return version


def _preview(
    kind: str,
    item_id: str,
    values: dict[str, Any],
    base: str,
    editable: yamledit.EditableFile,
    changed: dict[str, str],
    verdict: draft.Verdict,
) -> str | tuple[str, int]:
    diff = draft.unified_diff(editable.name, editable.text, changed[editable.name], display())
    ruleset = verdict.draft.ruleset or english_rules()
    walk = authorwalk.walk(ruleset, authorwalk.picks_from_form(ruleset, request.form))
    carried = [
        (k, v)
        for k, v in request.form.items(multi=True)
        if k not in ("csrf_token", "action") and not k.startswith(authorwalk.PICK)
    ]
    item = _model_item(ruleset, kind, item_id)
    with forced("en"):  # the English item as patients see it in English, interface words and all
        item_html = Markup(render_template("author/_item.html", kind=kind, item=item, ruleset=ruleset))  # noqa: S704 - autoescaped
    page = render_template(
        "author/preview.html",
        site=rules(),
        kind=kind,
        item_id=item_id,
        name=authorforms.NAMES[kind],
        ruleset=ruleset,
        diff=diff,
        verdict=verdict,
        walk=walk,
        carried=carried,
        base=base,
        item=item,
        item_html=item_html,
        saving=request.form.get("action") == "save",
    )
    return (page, 400) if verdict.reasons else page


def _model_item(ruleset: Any, kind: str, item_id: str) -> Any:
    """Return the loaded item (as the app shows it) from a rule set, or None."""
    found: dict[str, Any] = {
        "question": ruleset.questions.get(item_id),
        "page": ruleset.page(item_id),
        "category": ruleset.categories.get(item_id),
        "rule": next((r for r in ruleset.rules if r.id == item_id), None),
        "notice": next((n for n in ruleset.urgent if n.id == item_id), None),
        "section": next((s for s in ruleset.sections if s.id == item_id), None),
        "ending": next((e for e in ruleset.endings if e.id == item_id), None),
    }
    return found.get(kind)


def _form(
    kind: str,
    item_id: str,
    values: dict[str, Any],
    base: str,
    *,
    refused: list[str] | None = None,
    saved: str | None = None,
    summary: draft.Summary | None = None,
) -> str:
    ruleset = english_rules()
    options = {qid: [o.value for o in q.options] for qid, q in ruleset.questions.items()}
    multiple = {qid for qid, q in ruleset.questions.items() if q.multiple}
    pickable = _pickable(ruleset, kind, item_id)
    for spec in authorforms.FIELDS[kind]:
        if spec.input == "condition":
            fit(values[spec.key], options, multiple)
    return render_template(
        "author/edit.html",
        site=rules(),
        kind=kind,
        item_id=item_id,
        name=authorforms.NAMES[kind],
        specs=authorforms.FIELDS[kind],
        values=values,
        base=base,
        ruleset=ruleset,
        pickable=pickable,
        operators=OPERATOR_WORDS,
        evidence=authorforms.EVIDENCE,
        refused=refused or [],
        saved=saved,
        summary=summary,
        label=authorwalk.label,
    )


def _pickable(ruleset: Any, kind: str, item_id: str) -> list[Any]:
    """Return the questions a condition of this item may read: earlier pages only for a show_if."""
    questions = list(ruleset.questions.values())
    if kind == "page" and ruleset.page(item_id) is not None:
        return [q for q in questions if ruleset.page(q.page_id).index < ruleset.page(item_id).index]
    if kind == "question" and item_id in ruleset.questions:
        own = ruleset.page(ruleset.questions[item_id].page_id).index
        return [q for q in questions if ruleset.page(q.page_id).index < own]
    return questions
