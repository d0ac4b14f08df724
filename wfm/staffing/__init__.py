"""Interval staffing: Erlang B/C/A queueing maths and the per-interval requirement search."""

from wfm.staffing.erlang import (
    ErlangAMetrics,
    ErlangCMetrics,
    asa_c,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    occupancy_c,
    service_level_c,
)
from wfm.staffing.requirement import (
    MODELS,
    StaffingResult,
    StaffingTargets,
    offered_load,
    required_agents,
    s3_headcount,
)

__all__ = [
    "MODELS",
    "ErlangAMetrics",
    "ErlangCMetrics",
    "StaffingResult",
    "StaffingTargets",
    "asa_c",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "occupancy_c",
    "offered_load",
    "required_agents",
    "s3_headcount",
    "service_level_c",
]
