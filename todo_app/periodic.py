"""Periodic work each backend worker runs for the app's lifetime (Reflex lifespan tasks).

Every worker runs the loop; the lease in `services.jobs` lets one of them do the work per
interval, so N workers purge once, not N times.
"""

from __future__ import annotations

import asyncio
import logging

from todo_app.db import run_in_session
from todo_app.models import utcnow
from todo_app.services import jobs

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
