"""Choose between plain JSON and FHIR JSON from the Content-Type and Accept headers."""

from __future__ import annotations

from .canonical import FHIR_JSON

JSON = "application/json"
#: The DSTU2 name for FHIR JSON; some older clients still send it.
FHIR_JSON_OLD = "application/json+fhir"
OFFERED = (JSON, FHIR_JSON)


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def body_kind(content_type: str | None) -> str | None:
    """Return "fhir" for a FHIR JSON body, "json" for any other JSON body, None for anything else.

    Other ``+json`` types keep going to the JSON reader, as they did before FHIR was added.
    """
    kind = _media_type(content_type or "")
    if kind in (FHIR_JSON, FHIR_JSON_OLD):
        return "fhir"
    if kind == JSON or (kind.startswith("application/") and kind.endswith("+json")):
        return "json"
    return None


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0  # unreadable: treat as "not acceptable" rather than guess
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def _ranges(accept: str) -> list[tuple[str, float]]:
    """Return each media range of an Accept header with its quality, in the order sent."""
    found = []
    for part in accept.split(",")[:64]:  # more ranges than any real client sends is noise
        pieces = part.split(";")
        kind = pieces[0].strip().lower()
        if kind:
            found.append((FHIR_JSON if kind == FHIR_JSON_OLD else kind, _quality(pieces[1:])))
    return found


def _score(offer: str, ranges: list[tuple[str, float]]) -> float:
    """Return the quality of the most specific range matching an offer (RFC 9110 section 12.5.1)."""
    best, specificity = 0.0, -1
    top = offer.split("/")[0] + "/*"
    for kind, q in ranges:
        rank = 2 if kind == offer else 1 if kind == top else 0 if kind == "*/*" else -1
        if rank > specificity:
            best, specificity = q, rank
    return best if specificity >= 0 else 0.0


def response_kind(accept: str | None, default: str = "json") -> str | None:
    """Return "json" or "fhir" for the Accept header: the default when both are as welcome, None when neither is."""
    if not accept or not accept.strip():
        return default
    ranges = _ranges(accept)
    scores = {"json": _score(JSON, ranges), "fhir": _score(FHIR_JSON, ranges)}
    best = max(scores.values())
    if best <= 0.0:
        return None
    if scores[default] == best:
        return default
    return "fhir" if scores["fhir"] == best else "json"
