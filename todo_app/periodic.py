"""Periodic work each backend worker runs for the app's lifetime (Reflex lifespan tasks).

Every worker runs each loop. The trash purge: the lease in `services.jobs` lets one of them
do the work per interval, so N workers purge once, not N times. Reminders: each pass claims
the due ones in the database (`services.reminders.claim_due_reminders`), so each is
delivered once whichever worker claims it; the claim announces the owner's change and the
live updates bring it to every open tab of that user, on any worker.
"""

from __future__ import annotations

import asyncio
import logging

from todo_app.db import run_in_session
from todo_app.models import utcnow
from todo_app.services import jobs, reminders
from todo_app.settings import get_settings

logger = logging.getLogger(__name__)

# Well under the purge interval: whichever worker looks first after it ends does the purge,
# so runs are at most an interval plus this apart.
CHECK_EVERY_SECONDS = 300.0


async def purge_trash_periodically() -> None:
    """Every CHECK_EVERY_SECONDS, purge the old trash if no worker did this interval."""
    while True:
        try:
            purged = await run_in_session(
                lambda session: jobs.purge_trash_when_due(session, now=utcnow())
            )
        except (
            Exception
        ):  # the next check tries again; the loop must outlive a bad moment
            logger.exception("purging the trash failed")
        else:
            if purged:
                logger.info("purged %d task(s) from the trash", purged)
        await asyncio.sleep(CHECK_EVERY_SECONDS)


async def deliver_reminders_periodically() -> None:
    """Every TODO_REMINDER_POLL_SECONDS, claim the due reminders (their owners' tabs hear)."""
    while True:
        try:
            while True:
                batch = await run_in_session(
                    lambda session: len(
                        reminders.claim_due_reminders(
                            session, now=utcnow() + reminders.clock_ahead()
                        )
                    )
                )
                # A full batch: more may be waiting (a restart after a pause), go on at once.
                if batch < reminders.CLAIM_BATCH:
                    break
        except (
            Exception
        ):  # the next pass tries again; the loop must outlive a bad moment
            logger.exception("delivering reminders failed")
        await asyncio.sleep(get_settings().reminder_poll_seconds)
