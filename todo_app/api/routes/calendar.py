"""The private calendar feed: its link for the signed-in user, a new link, and the feed itself.

The feed is read without a bearer token (calendar apps cannot send one): its secret link is
the credential. Secrets have 256 bits, so guessing one is hopeless however many requests an
attacker sends; a wrong secret is 404 exactly like a path that does not exist.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from todo_app.api.deps import CallerDep
from todo_app.api.schemas import error_responses
from todo_app.db import run_in_session
from todo_app.services import calendar_feed

router = APIRouter(prefix=calendar_feed.FEED_PATH, tags=["calendar"])

ICALENDAR_TYPE = "text/calendar; charset=utf-8"


class CalendarLink(BaseModel):
    """The private URL of your calendar feed; anyone who has it can read the feed."""

    url: str = Field(
        examples=["https://todo.example.com/api/calendar/3q2-7wEAAAB....ics"]
    )


@router.get("", responses=error_responses(401, 503))
async def read_calendar_link(caller: CallerDep) -> CalendarLink:
    """Your calendar feed's private URL, made on first use and the same afterwards."""
    return CalendarLink(
        url=await caller.run(
            lambda session, user: calendar_feed.calendar_url(session, user_id=user.id)
        )
    )


@router.post("/rotate", responses=error_responses(401, 503))
async def rotate_calendar_link(caller: CallerDep) -> CalendarLink:
    """A new private URL for your feed; the previous URL is 404 from now on."""
    return CalendarLink(
        url=await caller.run(
            lambda session, user: calendar_feed.rotate_calendar_url(
                session, user_id=user.id
            )
        )
    )


@router.get(
    "/{secret}.ics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/calendar": {}},
            "description": "Your open tasks with a due date, as iCalendar (RFC 5545)",
        },
        **error_responses(404, 422, 503),
    },
)
async def read_calendar_feed(secret: str) -> Response:
    """The feed calendar apps subscribe to (no token: the secret URL is the credential)."""
    body = await run_in_session(
        lambda session: calendar_feed.calendar_feed(session, secret=secret)
    )
    return Response(
        content=body,
        media_type=ICALENDAR_TYPE,
        headers={
            # Only the subscriber's own cache: the URL is a credential, shared caches
            # must not keep a copy of what it opens.
            "Cache-Control": f"private, max-age={calendar_feed.CACHE_SECONDS}"
        },
    )


# HEAD too (undocumented, it is GET without the body): some calendar apps and validators
# check a subscription URL with it first.
router.add_api_route(
    "/{secret}.ics",
    read_calendar_feed,
    methods=["HEAD"],
    response_class=Response,
    include_in_schema=False,
)
