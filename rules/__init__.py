"""The centre's policy and one checker per rule of RULES.md.

Pure: standard library and pydantic only. The solver and the request services read the same
`Policy` object and report violations with the same rule IDs.
"""

from rules.policy import Policy, PolicyError, default_policy, load_policy

__all__ = ["Policy", "PolicyError", "default_policy", "load_policy"]
