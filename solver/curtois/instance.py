"""Parser for the Curtois & Qu shift-scheduling text format (see FORMAT.md of the benchmark).

The parser is strict: every data line is validated, and any problem raises
`InstanceFormatError` naming the file and the 1-based line number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


def weekend_days(k: int) -> tuple[int, int]:
    """Saturday and Sunday of week k: the benchmark's horizons start on a Monday."""
    return 7 * k + 5, 7 * k + 6


SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


class InstanceFormatError(ValueError):
    """Malformed instance file; the message names the source and line number."""

    def __init__(self, source: str, line_no: int, message: str) -> None:
        super().__init__(f"{source}:{line_no}: {message}")
        self.source = source
        self.line_no = line_no


@dataclass(frozen=True)
class ShiftType:
    id: str
    minutes: int
    not_next: tuple[str, ...]


@dataclass(frozen=True)
class Staff:
    id: str
    max_shifts: Mapping[str, int] = field(hash=False)
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int


@dataclass(frozen=True)
class Request:
    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass(frozen=True)
class Instance:
    name: str
    horizon: int
    shifts: tuple[ShiftType, ...]
    staff: tuple[Staff, ...]
    days_off: Mapping[str, frozenset[int]] = field(hash=False)
    on_requests: tuple[Request, ...]
    off_requests: tuple[Request, ...]
    cover: tuple[Cover, ...]

    @property
    def shift_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.shifts)

    @property
    def employee_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.staff)


# (line number, comma-separated fields) of one data line.
_Line = tuple[int, list[str]]


def _int(source: str, line_no: int, text: str, what: str, minimum: int = 0) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        msg = f"{what} must be an integer, got {text!r}"
        raise InstanceFormatError(source, line_no, msg) from None
    if value < minimum:
        raise InstanceFormatError(source, line_no, f"{what} must be >= {minimum}, got {value}")
    return value


def _split_sections(text: str, source: str) -> dict[str, list[_Line]]:
    sections: dict[str, list[_Line]] = {}
    current: str | None = None
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise InstanceFormatError(source, line_no, f"unknown section {line!r}")
            if line in sections:
                raise InstanceFormatError(source, line_no, f"duplicate section {line!r}")
            current = line
            sections[current] = []
            continue
        if current is None:
            raise InstanceFormatError(source, line_no, "data before the first SECTION_ header")
        sections[current].append((line_no, [f.strip() for f in line.split(",")]))
    for name in SECTIONS:
        if name not in sections:
            raise InstanceFormatError(source, 0, f"missing section {name}")
    return sections


def _check_arity(source: str, line: _Line, n: int, what: str) -> None:
    line_no, fields = line
    if len(fields) != n:
        raise InstanceFormatError(
            source, line_no, f"{what} line needs {n} comma-separated fields, got {len(fields)}"
        )


def _parse_shifts(source: str, lines: list[_Line]) -> tuple[ShiftType, ...]:
    shifts: list[ShiftType] = []
    for line in lines:
        _check_arity(source, line, 3, "SHIFTS")
        line_no, (sid, minutes, not_next) = line
        if not sid:
            raise InstanceFormatError(source, line_no, "empty shift id")
        blocked = tuple(s.strip() for s in not_next.split("|") if s.strip())
        shifts.append(ShiftType(sid, _int(source, line_no, minutes, "shift length", 1), blocked))
    ids = {s.id for s in shifts}
    for line, shift in zip(lines, shifts, strict=True):
        for other in shift.not_next:
            if other not in ids:
                raise InstanceFormatError(source, line[0], f"unknown shift {other!r} in NotNext")
    return tuple(shifts)


def _parse_staff(source: str, lines: list[_Line], shift_ids: set[str]) -> tuple[Staff, ...]:
    staff: list[Staff] = []
    for line in lines:
        _check_arity(source, line, 8, "STAFF")
        line_no, f = line
        max_shifts: dict[str, int] = {}
        for item in f[1].split("|"):
            sid, _, value = item.partition("=")
            if sid.strip() not in shift_ids or not value:
                raise InstanceFormatError(source, line_no, f"bad MaxShifts item {item!r}")
            max_shifts[sid.strip()] = _int(source, line_no, value, f"MaxShifts[{sid}]")
        for sid in shift_ids - max_shifts.keys():
            raise InstanceFormatError(source, line_no, f"MaxShifts lacks shift {sid!r}")
        nums = [
            _int(source, line_no, v, name) for v, name in zip(f[2:], _STAFF_FIELDS, strict=True)
        ]
        staff.append(Staff(f[0], max_shifts, *nums))
    return tuple(staff)


_STAFF_FIELDS = (
    "MaxTotalMinutes",
    "MinTotalMinutes",
    "MaxConsecutiveShifts",
    "MinConsecutiveShifts",
    "MinConsecutiveDaysOff",
    "MaxWeekends",
)


def _parse_requests(
    source: str, lines: list[_Line], check: Callable[[int, str, int, str], None], what: str
) -> tuple[Request, ...]:
    out: list[Request] = []
    for line in lines:
        _check_arity(source, line, 4, what)
        line_no, (emp, day, sid, weight) = line
        d = _int(source, line_no, day, "day")
        check(line_no, emp, d, sid)
        out.append(Request(emp, d, sid, _int(source, line_no, weight, "weight")))
    return tuple(out)


def parse_instance(text: str, name: str = "instance", source: str | None = None) -> Instance:
    """Parse instance text; `source` (default `name`) is used in error messages."""
    src = source or name
    sections = _split_sections(text, src)
    horizon_lines = sections["SECTION_HORIZON"]
    if len(horizon_lines) != 1 or len(horizon_lines[0][1]) != 1:
        line_no = horizon_lines[0][0] if horizon_lines else 0
        raise InstanceFormatError(src, line_no, "SECTION_HORIZON needs exactly one integer")
    horizon = _int(src, horizon_lines[0][0], horizon_lines[0][1][0], "horizon", 1)
    shifts = _parse_shifts(src, sections["SECTION_SHIFTS"])
    shift_ids = {s.id for s in shifts}
    staff = _parse_staff(src, sections["SECTION_STAFF"], shift_ids)
    emp_ids = {s.id for s in staff}

    def check(line_no: int, emp: str, day: int, sid: str) -> None:
        if emp not in emp_ids:
            raise InstanceFormatError(src, line_no, f"unknown employee {emp!r}")
        if day >= horizon:
            raise InstanceFormatError(src, line_no, f"day {day} outside horizon {horizon}")
        if sid and sid not in shift_ids:
            raise InstanceFormatError(src, line_no, f"unknown shift {sid!r}")

    days_off: dict[str, frozenset[int]] = {e: frozenset() for e in emp_ids}
    for line_no, f in sections["SECTION_DAYS_OFF"]:
        days = {_int(src, line_no, d, "day") for d in f[1:] if d}
        for d in days:
            check(line_no, f[0], d, "")
        days_off[f[0]] = days_off[f[0]] | days
    on = _parse_requests(src, sections["SECTION_SHIFT_ON_REQUESTS"], check, "SHIFT_ON_REQUESTS")
    off = _parse_requests(src, sections["SECTION_SHIFT_OFF_REQUESTS"], check, "SHIFT_OFF_REQUESTS")
    cover: list[Cover] = []
    for line in sections["SECTION_COVER"]:
        _check_arity(src, line, 5, "COVER")
        line_no, (day, sid, req, wu, wo) = line
        d = _int(src, line_no, day, "day")
        check(line_no, staff[0].id if staff else "", d, sid)
        nums = [_int(src, line_no, v, "cover value") for v in (req, wu, wo)]
        cover.append(Cover(d, sid, *nums))
    return Instance(name, horizon, shifts, staff, days_off, on, off, tuple(cover))


def load_instance(path: str | Path) -> Instance:
    """Read and parse an instance file; the instance is named after the file stem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceFormatError(str(p), 0, f"cannot read file: {exc}") from exc
    return parse_instance(text, name=p.stem, source=str(p))
