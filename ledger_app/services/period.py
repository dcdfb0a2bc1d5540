"""The period model of a year or a quarter, read from the ledger in one snapshot.

``load`` reads what a period's figures are computed from (roster, the year's records with
attendance, rules, dues settings and payments, volunteer entries) in one read transaction,
and hands back a :class:`~ledger_app.domain.period.PeriodModel`. The 工作台, the 党费 page,
``check``, ``dues``, the Excel workbook and the PDF all render such a model; none of them
reads the database for a figure of its own.

A model is kept until the database changes (by this connection or another), so pages that
show the same year share it.
"""

from __future__ import annotations

import datetime as dt

from ..domain import compliance
from ..domain.dates import Period, checked_period
from ..domain.dues import member_dues
from ..domain.period import PeriodInputs, PeriodModel
from .ledger import Ledger

_KEEP = 6  # models kept per ledger (a few years and quarters the pages and exports show)


def _version(ledger: Ledger) -> tuple[int, int]:
    """Changes by this connection (total_changes) and by any other (data_version)."""
    conn = ledger.db.conn
    return conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0]


def load(
    ledger: Ledger,
    year: int,
    quarter: int | None = None,
    *,
    attachments: bool = False,
    month: int | None = None,
) -> PeriodModel:
    """The model of ``year`` (or one quarter, or one ``month`` of it) as of
    ``ledger.today()``. ``attachments``: also list each record's attachments (the PDF
    prints them)."""
    key = (year, quarter, attachments, ledger.today(), month)
    version = _version(ledger)
    memo: dict = ledger.__dict__.setdefault("_period_models", {})
    found = memo.get(key)
    if found is not None and found[0] == version:
        return found[1]
    conn = ledger.db.conn
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # one snapshot: every part of the model agrees
    try:
        period = Period.month(year, month) if month else checked_period(year, quarter)
        model = PeriodModel(_inputs(ledger, period, attachments))
        model.check  # noqa: B018 — counting alerts back may read earlier years: now, in the snapshot
    finally:
        if own:
            conn.execute("COMMIT")
    if len(memo) >= _KEEP:
        memo.clear()
    memo[key] = (version, model)
    return model


def loaded(ledger: Ledger, year: int, quarter: int | None = None) -> PeriodModel | None:
    """The model of the period if one is loaded and the ledger has not changed since (a
    page that needs one part, such as the year's dues, takes it from there)."""
    memo: dict = ledger.__dict__.get("_period_models", {})
    version = _version(ledger)
    for attachments in (False, True):
        found = memo.get((year, quarter, attachments, ledger.today()))
        if found is not None and found[0] == version:
            return found[1]
    return None


def _inputs(ledger: Ledger, period: Period, attachments: bool) -> PeriodInputs:
    from ..storage import assessment_repo, followup_repo
    from ..storage.registers_repo import load_all as load_registers
    from . import dues, minutes, safety, transfers, volunteer

    repo = ledger.repo
    year = period.year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    members = repo.members()
    today = ledger.today()
    rounding = dues.rounding(ledger)
    first = repo.first_month()

    settings_of: dict[int, tuple[dict, dict]] = {}  # year → (dues settings, paid by month)
    by_id = {m.id: m for m in members}

    def earlier(month: Period, ids: set[int]) -> compliance.MonthFlags:
        """A month before the period's year, for the members whose run reaches it: read
        only then (most runs stop within the period)."""
        records = repo.records(start=month.start, end=month.end)
        life = compliance.month_life(members, records, month)
        if month.year not in settings_of:
            y = month.year
            settings_of[y] = (repo.dues_settings(y), repo.paid_by_month(y))
        settings, paid = settings_of[month.year]
        unpaid = set()
        for mid in ids:
            m = by_id.get(mid)
            if m is None:
                continue
            md = member_dues(m, settings.get(mid), paid.get(mid, {}), month.year, rounding, today)
            if month.index in md.unpaid_months:
                unpaid.add(mid)
        return compliance.MonthFlags({k: v for k, v in life.items() if k in ids}, unpaid)

    return PeriodInputs(
        branch=repo.branch(),
        period=period,
        today=today,
        members=members,
        groups=repo.groups(),
        records=repo.records(start=start, end=end),
        rules=repo.rules(),
        dues_settings=repo.dues_settings(year),
        paid_by_month=repo.paid_by_month(year),
        rounding=rounding,
        volunteer=repo.volunteer(start, end),
        volunteer_min=volunteer.min_per_month(ledger),
        changed=safety.changed_records(ledger),
        attachments=repo.attachments_of(period.start, period.end) if attachments else {},
        floor=Period.month(*first) if first else None,
        earlier=earlier,
        user=ledger.user,
        appraisals=followup_repo.appraisals(ledger.db, year),
        rectifications=followup_repo.rectifications(ledger.db),
        minutes_rules=minutes.minutes_rules(ledger),
        cadre_source=minutes.cadre_source(ledger),
        excellent_cap_permille=minutes.excellent_cap(ledger),
        registers=load_registers(ledger.db, transfers.receipt_days(ledger)),
        assessment=assessment_repo.assessment_data(ledger.db, year),  # issue 20
        plan=assessment_repo.plan_items(ledger.db, year),  # issue 20
    )
