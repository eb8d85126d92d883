"""Carrying last round's actions into this round: how each rule's rate moved, and what is late.

An action is overdue when its due date is before this round's latest audit date (never
today's date, so a report made again later says the same). Open actions, neither Done nor
Dropped, go into the new action plan; closed ones are reported with how their rule moved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..workbook.actions import PlanAction
from .summary import Summary
from .tallies import one_decimal


@dataclass(frozen=True)
class CarriedAction:
    """A last-round action beside this round's rate for its rule."""

    rule: str
    title: str
    owner_agency: str | None
    owner: str | None
    due: dt.date | None
    status: str | None
    overdue: bool
    rate_before: float | None
    rate_now: float | None
    open: bool

    def as_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "owner_agency": self.owner_agency, "owner": self.owner,
                "due": self.due.isoformat() if self.due else None,
                "status": self.status or "Not started", "overdue": self.overdue,
                "rate_before": self.rate_before, "rate_now": self.rate_now}


def carry(actions: list[PlanAction], summary: Summary) -> list[CarriedAction]:
    """Every action of the last plan, with its rule's rate now and whether it is overdue."""
    titles = {r.id: r.title for r in summary.model.rules}
    latest = summary.latest_audit
    return [CarriedAction(
        a.rule, titles.get(a.rule, a.rule), a.owner_agency, a.owner, a.due, a.status,
        bool(a.open and a.due is not None and latest is not None and a.due < latest),
        a.rate_before, one_decimal(summary.rule_rate(a.rule)), a.open) for a in actions]
