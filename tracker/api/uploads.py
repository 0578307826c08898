"""Request bodies read within a byte limit, before anything parses them.

A route that takes a document or a file names the setting of its limit; a body declared
(`Content-Length`) or found larger answers 413 problem+json with the limit, before the body is
parsed as JSON, YAML, CSV or a form.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, request

from tracker.adapters.importers.documents import check_size
from tracker.domain.errors import InvalidInput

F = TypeVar("F", bound=Callable[..., Any])
#: Room for the multipart framing (boundaries, part headers) around an uploaded file.
FORM_FRAMING = 64 * 1024


def body_bytes(setting: str, *, what: str = "document", hint: str = "",
               field: str = "file") -> bytes:
    """The raw body, or for a multipart form its file `field`, at most the `setting` bytes
    long: TooLarge (413) otherwise, checked on `Content-Length` before anything is read."""
    limit = int(current_app.config[setting])
    multipart = request.mimetype == "multipart/form-data"
    check_size((request.content_length or 0) - (FORM_FRAMING if multipart else 0), limit,
               setting=setting, what=what, hint=hint)
    if not multipart:
        data = request.get_data()
    elif (upload := request.files.get(field)) is not None:
        data = upload.read(limit + 1)
    else:
        raise InvalidInput(f"Send the {what} as the multipart field `{field}`.",
                           errors={field: [f"Missing {what}."]})
    check_size(len(data), limit, setting=setting, what=what, hint=hint)
    return data


def limited_body(setting: str, *, what: str = "document") -> Callable[[F], F]:
    """Decorate a view whose body a schema parses: the size check runs first."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            body_bytes(setting, what=what)
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate
