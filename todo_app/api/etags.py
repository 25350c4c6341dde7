"""ETags of tasks (`"<version>"`) and the If-Match header that makes an edit conditional."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header, HTTPException, status

ETAG_HEADER = "ETag"
_STRONG_ETAG = re.compile(r'"(0|[1-9][0-9]{0,9})"')
MALFORMED = 'If-Match must be one ETag as this API sends it, such as "3" (quotes included), or *'


def etag(version: int) -> str:
    """The ETag header value of a task at `version`."""
    return f'"{version}"'


def expected_version(header: str | None) -> int | None:
    """The version an If-Match header asks for; None without one (or `*`: any version).

    400 for anything else: a weak or listed tag, or a value this API never sent.
    """
    if header is None or header.strip() == "*":
        return None
    match = _STRONG_ETAG.fullmatch(header.strip())
    if match is None:
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail=MALFORMED)
    return int(match.group(1))


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description=(
            'The task\'s ETag as last read, e.g. "3": the change is made only if the task '
            "is still at that version, otherwise 412 with the task as it is now"
        ),
    ),
]
