"""Apply the form limits to every form body, not only to multipart ones.

Werkzeug checks MAX_FORM_PARTS and MAX_FORM_MEMORY_SIZE for ``multipart/form-data`` only; an
ordinary ``application/x-www-form-urlencoded`` post (what every form here sends) is limited by
MAX_CONTENT_LENGTH alone, so 16 KB could carry thousands of fields or one 16 KB value. This request
class applies the same two limits to every parsed form: too many fields, or a field name or value
longer than the limit, gets the 413 page. A multipart field without a readable name gets a 400.
"""

from __future__ import annotations

from flask import Request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge


class LimitedRequest(Request):
    """Parse a form as Flask does, obeying MAX_FORM_PARTS and MAX_FORM_MEMORY_SIZE (per field)."""

    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        super()._load_form_data()
        form = self.__dict__["form"]
        parts, longest = self.max_form_parts, self.max_form_memory_size
        pairs = list(form.items(multi=True))
        if not all(isinstance(key, str) for key, _ in pairs):
            # Werkzeug names a multipart part whose Content-Disposition it cannot read None;
            # sorting or comparing field names would then fail with a TypeError (a 500).
            self.__dict__["form"] = self.parameter_storage_class()
            self.__dict__["files"] = self.parameter_storage_class()
            raise BadRequest("The form had a field without a readable name.")
        too_many = parts is not None and len(pairs) > parts
        too_long = longest is not None and any(
            len(key.encode("utf-8", "surrogatepass")) > longest or len(value.encode("utf-8", "surrogatepass")) > longest
            for key, value in pairs
        )
        if too_many or too_long:
            # Leave nothing half-read behind: later reads see an empty form, not the oversized one.
            self.__dict__["form"] = self.parameter_storage_class()
            self.__dict__["files"] = self.parameter_storage_class()
            what = "too many fields" if too_many else "a field longer than the limit"
            raise RequestEntityTooLarge(f"The form had {what}.")
