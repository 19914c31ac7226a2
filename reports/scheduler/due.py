"""When: the run's clock, and whether a job is due at it (its cron schedule, or the lead window before an event)."""

from __future__ import annotations

import datetime as dt
import os

from reports.dossier.as_of import event_status
from reports.dossier.dates import FIRST_YEAR, LAST_YEAR
from reports.dossier.model import Dossier
from reports.engine.manifest import stamp
from reports.errors import Problem, ReportsError
from reports.scheduler.jobs import Job

ENV_NOW = "REPORTS_NOW"


def parse_now(text: str, what: str = "--now") -> dt.datetime:
    """`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]`, with or without an offset; a naive time is local time."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ReportsError(
            Problem("reports", None, what, f"'{text}' is not a date and time such as 2025-11-10T06:00 or 2025-11-10")
        ) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:  # every date computed from it would leave the calendar
        raise ReportsError(Problem("reports", None, what, f"'{text}' is not a plausible date ({FIRST_YEAR}-{LAST_YEAR})"))
    return moment.astimezone() if moment.tzinfo is None else moment


def current_time(option: str | None) -> dt.datetime:
    """The run's clock: `--now`, else $REPORTS_NOW, else the system clock (local time, to the second)."""
    if option:
        return parse_now(option)
    if os.environ.get(ENV_NOW):
        return parse_now(os.environ[ENV_NOW], ENV_NOW)
    return dt.datetime.now().astimezone().replace(microsecond=0)


def due_reason(job: Job, dossier: Dossier, last_success: dt.datetime | None, now: dt.datetime) -> str | None:
    """Why the job is due now, or None (module docstring, step 2)."""
    if job.cron is not None:
        if last_success is None:
            return "never built"
        from croniter import croniter

        slot = croniter(job.cron, last_success).get_next(dt.datetime)
        if slot <= now:
            return f"schedule {job.schedule}: due since {stamp(slot)}"
    if job.before_events is not None:
        today, last = now.date(), last_success.date() if last_success else None
        for event in dossier.events:
            first_day = event.date.first_day
            if first_day <= today or event.kind not in job.before_events.kinds or event_status(event, today) == "cancelled":
                continue
            for days in job.before_events.days:
                opens = first_day - dt.timedelta(days=days)
                if opens <= today and (last is None or last < opens):
                    return f"{event.id} is {(first_day - today).days} days ahead (the {days}-day window opened {opens})"
    return None
