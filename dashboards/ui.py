"""What every page shares: the database handle, the logged-in user, cached views, error
messages with their rule IDs, and small drawing helpers. No business logic lives here."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from dashboards.i18n import label, t
from wfm.config import database_url
from wfm.db import make_engine, make_session_factory
from wfm.services.errors import RuleViolation, ServiceError
from wfm.timeutil import now

T = TypeVar("T")
USER_KEY = "user"
# Every refusal a service may raise: RuleViolation lives in rules/ and is not a ServiceError.
REFUSALS = (ServiceError, RuleViolation)


@st.cache_resource(show_spinner=False)
def _session_factory(url: str) -> sessionmaker[Session]:
    """One engine per database URL for the whole server (never at import time)."""
    return make_session_factory(make_engine(url))


def db() -> sessionmaker[Session]:
    return _session_factory(database_url())


def user() -> Any:
    """The logged-in SessionUser (wfm.services.auth), or None."""
    return st.session_state.get(USER_KEY)


def actor_id() -> int:
    u = user()
    if u is None:  # pages are only registered after login; this is a guard for direct calls
        st.stop()
    return int(u.id)


def today() -> date:
    return now().date()


@st.cache_data(ttl=30, max_entries=512, show_spinner=False)
def _cached_view(url: str, target: str, args: tuple[Any, ...], kwargs: tuple[Any, ...]) -> Any:
    module, _, name = target.partition(":")
    fn = getattr(importlib.import_module(module), name)
    return fn(_session_factory(url), *args, **dict(kwargs))


def view(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a read view `fn(db, *args, **kwargs)` through a bounded, short-lived cache.

    Results are keyed by database URL, view and arguments (the actor id is always one of
    them), so one user's private frame is never served to another.
    """
    target = f"{fn.__module__}:{fn.__name__}"
    return _cached_view(database_url(), target, args, tuple(sorted(kwargs.items())))


def changed() -> None:
    """After a successful write: forget cached views so every page reads the new state."""
    _cached_view.clear()


def run_service(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Call a service `fn(db, actor_id, ...)`; show its refusal (with rule IDs) and return
    None when it raises a ServiceError; clear cached views after a success."""
    try:
        result = fn(db(), actor_id(), *args, **kwargs)
    except REFUSALS as err:
        show_error(err)
        return None
    changed()
    return result


def show_error(err: Exception) -> None:
    """A refusal as the service worded it: each broken rule on its own line, ID first."""
    if isinstance(err, RuleViolation) and err.violations:
        lines = "\n".join(f"- **{v.rule}** {v.message}" for v in err.violations)
        st.error(f"{t('refused')}:\n{lines}")
    else:
        st.error(f"{t('refused')}: {err}")


def guarded(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a view; a permission or lookup refusal is shown instead of a stack trace."""
    try:
        return view(fn, *args, **kwargs)
    except REFUSALS as err:
        show_error(err)
        return None


def person_name(name: str, name_zh: str) -> str:
    from dashboards.i18n import current_language

    if current_language() == "zh" and name_zh:
        return name_zh
    return name


def role_label(role: str) -> str:
    return label("role", role)


def month_options(centre_today: date, back: int = 3, ahead: int = 2) -> list[date]:
    first = centre_today.replace(day=1)
    out = []
    for k in range(-back, ahead + 1):
        y, m = divmod(first.month - 1 + k, 12)
        out.append(date(first.year + y, m + 1, 1))
    return out


def month_picker(key: str, default_offset: int = 0) -> date:
    """A month selectbox (YYYY-MM); default: this month plus `default_offset`."""
    options = month_options(today())
    index = min(max(3 + default_offset, 0), len(options) - 1)
    return st.selectbox(
        t("month"), options, index=index, key=key, format_func=lambda d: f"{d:%Y-%m}"
    )


def no_data(frame: Any) -> bool:
    if frame is None or len(frame) == 0:
        st.info(t("no_data"))
        return True
    return False
