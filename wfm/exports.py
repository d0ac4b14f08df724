"""Roster exports: an Excel grid (people × days, coloured by shift, holidays marked, coverage
rows), CSV (one row per assignment) and iCalendar files per agent."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from rules.policy import Policy
from rules.roster.common import RosterContext
from rules.roster.coverage import scheduled
from rules.snapshot import RosterSnapshot

WEEKDAYS_ZH = "一二三四五六日"


@dataclass(frozen=True)
class ShiftStyle:
    code: str
    name: str
    colour: str  # "#rrggbb"


def coverage_by_day(snapshot: RosterSnapshot, policy: Policy) -> dict[date, tuple[int, int]]:
    """Per day: (agent-intervals short of the requirement, people starting a shift)."""
    ctx = RosterContext.build(snapshot, policy)
    sched = scheduled(ctx)
    short: Counter[date] = Counter()
    for (day, idx), need in snapshot.requirement.items():
        gap = need - sched.get((day, idx), 0)
        if gap > 0:
            short[day] += gap
    starts = Counter(a.day for a in snapshot.assignments)
    return {d: (short[d], starts[d]) for d in snapshot.days()}


def roster_excel(
    title: str,
    grid: pd.DataFrame,
    snapshot: RosterSnapshot,
    styles: list[ShiftStyle],
    policy: Policy,
) -> bytes:
    """The grid as .xlsx bytes; `grid` is wfm.services.roster.grid_frame's frame."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Roster 排班表"
    days = snapshot.days()
    fills = {s.code: PatternFill("solid", fgColor=s.colour.lstrip("#")[:6].upper()) for s in styles}
    holiday_fill = PatternFill("solid", fgColor="F4CCCC")
    bold = Font(bold=True)
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    ws.cell(row=2, column=1, value="Name 姓名").font = bold
    ws.cell(row=2, column=2, value="Grade 等级").font = bold
    for j, day in enumerate(days, start=3):
        label = f"{day.day}\n{WEEKDAYS_ZH[day.weekday()]}"
        cell = ws.cell(row=2, column=j, value=label)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        cell.font = bold
        if day in snapshot.holidays:
            cell.fill = holiday_fill
        ws.column_dimensions[get_column_letter(j)].width = 5.5
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 12
    for i, rec in enumerate(grid.to_dict("records"), start=3):
        ws.cell(row=i, column=1, value=f"{rec['name_zh']} {rec['name']}".strip())
        ws.cell(row=i, column=2, value=rec["grade"])
        for j, day in enumerate(days, start=3):
            code = str(rec[day.isoformat()])
            cell = ws.cell(row=i, column=j, value=code or None)
            cell.alignment = Alignment(horizontal="center")
            if code in fills:
                cell.fill = fills[code]
            elif day in snapshot.holidays:
                cell.fill = holiday_fill
    cov = coverage_by_day(snapshot, policy)
    base = len(grid) + 4
    ws.cell(row=base, column=1, value="On duty 当班人数").font = bold
    ws.cell(row=base + 1, column=1, value="Short agent-intervals 缺口").font = bold
    for j, day in enumerate(days, start=3):
        short, starts = cov[day]
        ws.cell(row=base, column=j, value=starts)
        c = ws.cell(row=base + 1, column=j, value=short)
        if short:
            c.font = Font(color="C00000", bold=True)
    legend = base + 3
    ws.cell(row=legend, column=1, value="Legend 图例").font = bold
    for k, s in enumerate(styles):
        ws.cell(row=legend + 1 + k, column=1, value=s.code).fill = fills[s.code]
        ws.cell(row=legend + 1 + k, column=2, value=s.name)
    ws.cell(row=legend + 1 + len(styles), column=1, value="holiday 节假日").fill = holiday_fill
    ws.freeze_panes = "C3"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def roster_csv(grid: pd.DataFrame, snapshot: RosterSnapshot) -> bytes:
    """One row per assignment: person_id,name,day,shift,start,end."""
    rows = []
    by_code = {s.code: s for s in snapshot.shift_types}
    names = dict(zip(grid["person_id"].astype(str), grid["name"], strict=True)) if len(grid) else {}
    for a in sorted(
        snapshot.assignments, key=lambda a: (a.day, int(a.person) if a.person.isdigit() else 0)
    ):
        st = by_code[a.shift]
        rows.append(
            {
                "person_id": a.person,
                "name": names.get(a.person, a.person),
                "day": a.day.isoformat(),
                "shift": a.shift,
                "start": st.start_on(a.day).isoformat(timespec="minutes"),
                "end": st.end_on(a.day).isoformat(timespec="minutes"),
            }
        )
    return (
        pd.DataFrame(rows, columns=["person_id", "name", "day", "shift", "start", "end"])
        .to_csv(index=False)
        .encode()
    )


def agent_ical(
    person_name: str,
    person_key: str,
    snapshot: RosterSnapshot,
    roll_call_minutes: int,
    tz: str = "Asia/Shanghai",
) -> bytes:
    """One VEVENT per shift of one person; starts include the R10 roll call."""
    cal = Calendar()
    cal.add("prodid", "-//wfm//roster//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{person_name} roster")
    cal.add("x-wr-timezone", tz)
    by_code = {s.code: s for s in snapshot.shift_types}
    for a in snapshot.assignments_of(person_key):
        st = by_code[a.shift]
        ev = Event()
        ev.add("uid", f"wfm-{person_key}-{a.day.isoformat()}@wfm")
        ev.add("summary", f"{st.code} {st.name}".strip())
        ev.add("dtstart", st.start_on(a.day) - timedelta(minutes=roll_call_minutes))
        ev.add("dtend", st.end_on(a.day))
        ev.add("dtstamp", datetime(2000, 1, 1))
        ev.add(
            "description", f"Roll call {roll_call_minutes} min before the shift (R10) / 班前点名"
        )
        cal.add_component(ev)
    return cal.to_ical()
