"""Report problems with FHIR input as an OperationOutcome, one issue per problem."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: More issues than this are summed up in one last issue: a 16 KB body could name hundreds of
#: bad items, and nobody fixes them from a list that long.
MAX_ISSUES = 50


@dataclass(frozen=True, slots=True)
class Issue:
    """Say what is wrong with one part of a FHIR body, and where (a FHIRPath into it)."""

    message: str
    expression: str | None = None
    #: An IssueType code (http://hl7.org/fhir/issue-type): invalid, structure, required, value,
    #: code-invalid, not-supported, business-rule, too-long.
    code: str = "invalid"

    def as_fhir(self) -> dict[str, Any]:
        """Return the issue as an OperationOutcome.issue element."""
        issue: dict[str, Any] = {"severity": "error", "code": self.code, "diagnostics": self.message}
        if self.expression:
            issue["expression"] = [self.expression]
        return issue


def operation_outcome(issues: list[Issue]) -> dict[str, Any]:
    """Return an OperationOutcome listing the issues (at most MAX_ISSUES, then a count of the rest)."""
    shown = [i.as_fhir() for i in issues[:MAX_ISSUES]]
    rest = len(issues) - MAX_ISSUES
    if rest > 0:
        shown.append(
            {
                "severity": "error",
                "code": "too-costly",
                "diagnostics": f"{rest} more problem{'s' if rest != 1 else ''} not listed; fix these first",
            }
        )
    if not shown:  # an OperationOutcome needs at least one issue; say why there is nothing wrong to list
        shown.append({"severity": "information", "code": "informational", "diagnostics": "no problems"})
    return {"resourceType": "OperationOutcome", "issue": shown}
