"""`wfm staffing`: the agents one interval needs to meet the service targets (rule S2).

Defaults come from the centre's policy (``rules.default_policy().service``), read when the
command runs, never at import.
"""

from __future__ import annotations

import math
from typing import Any

import typer

from rules import PolicyError, load_policy
from wfm.cli.common import fail, print_json
from wfm.staffing.requirement import MODELS, StaffingResult, StaffingTargets, required_agents

# Names used by the staffing maths in its error messages -> the option the user typed.
_OPTION_OF = {
    "calls": "--calls",
    "aht_seconds": "--aht",
    "interval_minutes": "--interval-minutes",
    "patience_seconds": "--patience",
    "service_level": "--target-sl",
    "service_seconds": "--target-seconds",
    "max_asa_seconds": "--max-asa",
    "max_abandon": "--max-abandon",
    "max_occupancy": "--max-occupancy",
    "shrinkage": "--shrinkage",
    "model": "--model",
}


def register(app: typer.Typer) -> None:
    app.command("staffing")(staffing_command)


def staffing_command(
    calls: float | None = typer.Option(None, "--calls", help="Calls offered in the interval"),
    aht: float | None = typer.Option(None, "--aht", help="Average handling time, seconds"),
    interval_minutes: float | None = typer.Option(
        None, "--interval-minutes", help="Interval length in minutes [policy: 30]"
    ),
    target_sl: float | None = typer.Option(
        None, "--target-sl", help="Share answered within --target-seconds, 0..1 [policy]"
    ),
    target_seconds: float | None = typer.Option(
        None, "--target-seconds", help="Service-level threshold, seconds [policy]"
    ),
    patience: float | None = typer.Option(
        None, "--patience", help="Mean caller patience for erlang-a, seconds [policy]"
    ),
    max_occupancy: float | None = typer.Option(
        None, "--max-occupancy", help="Maximum agent occupancy, 0..1 [policy]"
    ),
    max_abandon: float | None = typer.Option(
        None,
        "--max-abandon",
        help="Maximum abandonment share (erlang-a) [policy: 1 - answer rate]; 0 = none",
    ),
    max_asa: float | None = typer.Option(
        None, "--max-asa", help="Maximum average speed of answer, seconds; 0 = none [policy]"
    ),
    shrinkage: float | None = typer.Option(
        None, "--shrinkage", help="Share of paid time off the phones, 0..1 [policy]"
    ),
    model: str = typer.Option("erlang-c", "--model", help="erlang-c or erlang-a"),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON"),
    queue: str | None = typer.Option(
        None, "--queue", help="Database mode: staff this queue's stored forecast"
    ),
    start: str | None = typer.Option(None, "--from", help="Database mode: first day, YYYY-MM-DD"),
    end: str | None = typer.Option(None, "--to", help="Database mode: last day, YYYY-MM-DD"),
) -> None:
    """Fewest agents meeting every target at once, before and after shrinkage.

    One interval from --calls/--aht, or (with --queue/--from/--to) every interval of a queue's
    stored forecast, stored as its requirement with the policy's targets.
    """
    if model not in MODELS:
        fail(f"--model: expected one of {', '.join(MODELS)}, got {model!r}")
    if queue is not None:
        from wfm.cli.planning import requirements_command

        if not (start and end):
            fail("--from and --to: both are needed with --queue")
        requirements_command(queue=queue, start=start, end=end, model=model, as_json=as_json)
        return
    if calls is None or aht is None:
        fail("--calls and --aht: both are needed (or --queue/--from/--to for database mode)")
    for option, value in (
        ("--calls", calls),
        ("--aht", aht),
        ("--interval-minutes", interval_minutes),
        ("--patience", patience),
        ("--target-seconds", target_seconds),
        ("--max-asa", max_asa),
    ):
        if value is not None and not (math.isfinite(value) and value >= 0):
            fail(f"{option}: must be finite and >= 0, got {value}")
    try:
        service = load_policy().service
    except PolicyError as err:
        fail(str(err))
    base = StaffingTargets.from_policy(service, model="erlang-a")
    abandon = base.max_abandon if max_abandon is None else max_abandon
    asa = base.max_asa_seconds if max_asa is None else max_asa
    try:
        targets = StaffingTargets(
            service_level=base.service_level if target_sl is None else target_sl,
            service_seconds=base.service_seconds if target_seconds is None else target_seconds,
            max_asa_seconds=asa or None,
            max_abandon=(abandon or None) if model == "erlang-a" else None,
            max_occupancy=base.max_occupancy if max_occupancy is None else max_occupancy,
            shrinkage=base.shrinkage if shrinkage is None else shrinkage,
        )
        result = required_agents(
            calls,
            aht,
            service.interval_minutes if interval_minutes is None else interval_minutes,
            targets,
            model=model,  # checked against MODELS above
            patience_seconds=(service.patience_seconds if patience is None else patience)
            if model == "erlang-a"
            else None,
        )
    except ValueError as err:
        fail(_name_the_option(str(err)))
    _report(result, as_json)


def _name_the_option(message: str) -> str:
    """Replace the leading argument name of a maths error by the CLI option."""
    name, sep, rest = message.partition(":")
    return f"{_OPTION_OF[name]}:{rest}" if sep and name in _OPTION_OF else message


def _summary(r: StaffingResult) -> dict[str, Any]:
    t = r.targets
    return {
        "model": r.model,
        "offered_load_erlangs": float(r.offered_load),
        "agents": int(r.agents),
        "agents_with_shrinkage": int(r.agents_with_shrinkage),
        "agents_fractional": float(r.agents_fractional),
        "service_level": float(r.service_level),
        "service_seconds": t.service_seconds,
        "asa_seconds": float(r.asa_seconds),
        "abandon_rate": float(r.abandon_rate),
        "occupancy": float(r.occupancy),
        "p_wait": float(r.p_wait),
        "shrinkage": t.shrinkage,
        "targets": {
            "service_level": t.service_level,
            "max_asa_seconds": t.max_asa_seconds,
            "max_abandon": t.max_abandon,
            "max_occupancy": t.max_occupancy,
        },
    }


def _report(result: StaffingResult, as_json: bool) -> None:
    s = _summary(result)
    if as_json:
        print_json(s)
        return
    typer.echo(
        f"model {s['model']}, offered load {s['offered_load_erlangs']:.3f} Erlangs\n"
        f"agents: {s['agents']} on the phones ({s['agents_fractional']:.2f} fractional), "
        f"{s['agents_with_shrinkage']} with {s['shrinkage']:.0%} shrinkage\n"
        f"service level: {s['service_level']:.2%} answered within {s['service_seconds']:g} s\n"
        f"average speed of answer: {s['asa_seconds']:.1f} s\n"
        f"abandonment: {s['abandon_rate']:.2%}\n"
        f"occupancy: {s['occupancy']:.2%}\n"
        f"probability of waiting: {s['p_wait']:.2%}"
    )
