"""Call history: parsing of ACD interval exports and loaders for the real data sets."""

from wfm.calls.parse import CallFileError, ParsedCalls, Problem, parse_call_file

__all__ = ["CallFileError", "ParsedCalls", "Problem", "parse_call_file"]
