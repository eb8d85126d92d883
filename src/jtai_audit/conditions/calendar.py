"""Working days and school days in England, bank holidays from the `holidays` package.

Timescales in safeguarding guidance are counted in working days; Operation Encompass asks
for the school to be told before the start of the next school day. We skip weekends and
bank holidays in England; school term dates are local: a rubric may list its school closures
(`params.school_closures`), which the next school day skips too.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, and not a bank holiday in England."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


@lru_cache(maxsize=65536)
def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier.

    The same day is 0 and the next working day is 1, so "within 1 working day" is `<= 1`.
    """
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


Closures = tuple[tuple[dt.date, dt.date], ...]


def next_school_day(day: dt.date, closures: Closures = ()) -> dt.date:
    """The first working day after `day` that no school closure covers (both ends included).

    Weekends and bank holidays in England are skipped, and so is every day from `start` to
    `end` of each closure.
    """
    following = day + dt.timedelta(days=1)
    while not is_working_day(following) or any(
            start <= following <= end for start, end in closures):
        following += dt.timedelta(days=1)
    return following
