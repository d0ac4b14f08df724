"""Interval forecast of offered calls and AHT: day totals x intraday profiles.

The model is deliberately transparent (a planner can read every number):

1. Each history day gets a *day class*: its weekday (0 = Monday), ``"holiday"`` (public
   holiday, or a day off inside a holiday break) or ``"makeup"`` (a weekend made a working
   day, China's 调休, forecast like an average working day).
2. Holidays and anomalous days (total below ``anomaly_ratio`` x the median of the same
   weekday: outages, unlisted holiday eves) are kept out of the shapes and the level.
3. Daily totals = level x weekday factor. The level and its trend come from a weighted
   least-squares line through the deseasonalised daily totals (exponential weights, half-life
   ``level_half_life_days``), re-weighted once to damp outliers; the trend is damped
   (``trend_damping`` per day) so that long horizons flatten out.
4. Intraday profile per day class: volume-weighted shares of the recent ``profile_weeks``
   weeks (recent weeks weigh more), shrunk towards the pooled working-day profile to cut noise.
5. Holidays: the regular forecast for that day x a holiday factor, the median ratio
   actual/regular over the holidays in the history (``default_holiday_factor`` if none),
   with the holiday profile when holidays are in the history, else the weekend profile.
6. AHT: a volume-weighted intraday AHT curve per working/non-working day, or a constant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wfm.calendar_cn import WorkCalendar

DayClass = int | str  # 0..6 (weekday) | "holiday" | "makeup"
HOLIDAY = "holiday"
MAKEUP = "makeup"


@dataclass(frozen=True)
class ForecastConfig:
    """Tuning knobs; the defaults were checked on the US-bank and Israeli backtests."""

    profile_weeks: int = 12
    profile_half_life_weeks: float = 8.0
    profile_shrinkage: float = 0.2  # weight of the pooled working-day profile
    profile_smoothing_minutes: int = 10  # half-width of a triangular smoother; 0 = none
    level_weeks: int = 8
    level_half_life_days: float = 28.0
    trend_damping: float = 0.9  # per day ahead
    anomaly_ratio: float = 0.4
    default_holiday_factor: float = 0.6
    default_aht_seconds: float = 300.0
    holiday_breaks: bool = True  # weekends inside a holiday break count as holidays


@dataclass(frozen=True)
class ForecastModel:
    """A fitted forecast. `predict` is cheap; nothing is refitted."""

    interval_minutes: int
    slots: np.ndarray  # minutes after midnight of each interval start
    last_history_day: dt.date
    level: float  # deseasonalised calls per day at last_history_day
    trend: float  # calls per day per day
    day_factors: dict[DayClass, float]
    profiles: dict[DayClass, np.ndarray]
    holiday_factor: float
    aht_profiles: dict[str, np.ndarray]  # "workday" / "offday"
    calendar: WorkCalendar | None
    config: ForecastConfig = field(default_factory=ForecastConfig)

    def day_class(self, day: dt.date) -> DayClass:
        return day_class(day, self.calendar, self.config)

    def daily_total(self, day: dt.date) -> float:
        """Forecast offered calls for one day."""
        horizon = (day - self.last_history_day).days
        damp = self.config.trend_damping
        steps = max(horizon, 0)
        damped = sum(damp**i for i in range(1, steps + 1)) if damp < 1 else steps
        level = max(self.level + self.trend * damped, 0.0)
        cls = self.day_class(day)
        if cls == HOLIDAY:
            return level * self._factor(day.weekday()) * self.holiday_factor
        return level * self._factor(cls)

    def _factor(self, cls: DayClass) -> float:
        return self.day_factors.get(cls, 0.0)

    def _profile(self, day: dt.date, cls: DayClass) -> np.ndarray:
        if cls in self.profiles:
            return self.profiles[cls]
        if cls == HOLIDAY:
            return self.profiles.get(day.weekday(), np.zeros(len(self.slots)))
        return np.zeros(len(self.slots))

    def predict(self, start_date: dt.date, days: int) -> pd.DataFrame:
        """Offered calls and AHT per interval for `days` days from `start_date`."""
        if days < 0:
            raise ValueError("days must be >= 0")
        rows: list[pd.DataFrame] = []
        for i in range(days):
            day = start_date + dt.timedelta(days=i)
            cls = self.day_class(day)
            offered = self.daily_total(day) * self._profile(day, cls)
            working = (
                cls not in (HOLIDAY,)
                and self._factor(cls) > 0
                and (self.calendar is None or self.calendar.day_type(day) == "workday")
            )
            aht = self.aht_profiles["workday" if working else "offday"]
            starts = pd.Timestamp(day) + pd.to_timedelta(self.slots, unit="min")
            rows.append(
                pd.DataFrame(
                    {
                        "interval_start": starts,
                        "interval_minutes": self.interval_minutes,
                        "offered": offered,
                        "aht_seconds": aht,
                    }
                )
            )
        if not rows:
            return pd.DataFrame(
                columns=["interval_start", "interval_minutes", "offered", "aht_seconds"]
            )
        return pd.concat(rows, ignore_index=True)


def day_class(day: dt.date, calendar: WorkCalendar | None, config: ForecastConfig) -> DayClass:
    """Weekday number, "holiday" or "makeup" for a day."""
    if calendar is None:
        return day.weekday()
    kind = calendar.day_type(day)
    if kind == "holiday" or (config.holiday_breaks and calendar.in_holiday_break(day)):
        return HOLIDAY
    if calendar.is_makeup_workday(day):
        return MAKEUP
    return day.weekday()


# ---------------------------------------------------------------------------------------------
# Fitting


def _as_calendar(calendar: WorkCalendar | str | None) -> WorkCalendar | None:
    if calendar is None or isinstance(calendar, WorkCalendar):
        return calendar
    return WorkCalendar(calendar)


def _matrix(history: pd.DataFrame, column: str) -> tuple[pd.DataFrame, int]:
    """Day x slot matrix of a column; cells missing on a present day are 0 (no calls)."""
    if history.empty:
        raise ValueError("history is empty")
    minutes = int(history["interval_minutes"].iloc[0])
    if (history["interval_minutes"] != minutes).any():
        raise ValueError("history mixes interval lengths")
    starts = pd.to_datetime(history["interval_start"])
    day = starts.dt.normalize()
    slot = (starts - day).dt.total_seconds().floordiv(60).astype(int)
    values = history[column].astype(float)
    mat = pd.DataFrame({"day": day, "slot": slot, "v": values}).pivot_table(
        index="day", columns="slot", values="v", aggfunc="sum", dropna=False
    )
    return mat.sort_index(), minutes


def _recency_weights(days: pd.Index, last: pd.Timestamp, half_life: float) -> np.ndarray:
    age = np.asarray((last - pd.DatetimeIndex(days)).days, dtype=float)
    return np.asarray(0.5 ** (age / half_life))


def _weighted_line(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Intercept at x = 0 and slope of a weighted least-squares line."""
    if len(x) < 3 or np.ptp(x) == 0:
        return float(np.average(y, weights=w)), 0.0
    design = np.column_stack([np.ones_like(x), x]) * np.sqrt(w)[:, None]
    coef, *_ = np.linalg.lstsq(design, y * np.sqrt(w), rcond=None)
    return float(coef[0]), float(coef[1])


def _robust_line(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    # One Huber-style re-weighting: days far off the line (unlisted holidays) count less.
    a, b = _weighted_line(x, y, w)
    resid = y - (a + b * x)
    scale = 1.4826 * np.median(np.abs(resid - np.median(resid))) + 1e-9
    huber = np.minimum(1.0, 2.0 * scale / np.maximum(np.abs(resid), 1e-9))
    return _weighted_line(x, y, w * huber)


@dataclass
class _Days:
    totals: pd.Series  # per day
    classes: pd.Series  # per day
    regular: np.ndarray  # bool: usable for shapes and level


def _classify(totals: pd.Series, calendar: WorkCalendar | None, cfg: ForecastConfig) -> _Days:
    classes = pd.Series(
        [day_class(d.date(), calendar, cfg) for d in totals.index], index=totals.index
    )
    regular = (classes != HOLIDAY).to_numpy().copy()
    weekday = np.array([d.weekday() for d in totals.index])
    for wd in range(7):
        sel = regular & (weekday == wd)
        if sel.sum() >= 3:
            med = float(np.median(totals.to_numpy()[sel]))
            low = totals.to_numpy() < cfg.anomaly_ratio * med
            regular &= ~(sel & low)
    return _Days(totals, classes, regular)


def _fit_factors_and_level(
    days: _Days, cfg: ForecastConfig
) -> tuple[dict[DayClass, float], float, float]:
    idx = days.totals.index[days.regular]
    totals = days.totals.to_numpy()[days.regular]
    classes = days.classes.to_numpy()[days.regular]
    last = days.totals.index[-1]
    weights = _recency_weights(idx, last, cfg.profile_half_life_weeks * 7)
    recent = (last - idx).days < cfg.profile_weeks * 7
    # Start with a flat level, then alternate factors <-> level twice.
    level_curve = np.full(len(totals), np.median(totals) if len(totals) else 0.0)
    factors: dict[DayClass, float] = {}
    a = b = 0.0
    x = (idx - last).days.to_numpy(dtype=float)
    for _ in range(3):
        factors = {}
        for cls in set(classes.tolist()):
            sel = classes == cls
            use = sel & recent if (sel & recent).sum() >= 2 else sel
            ratio = totals[use] / np.maximum(level_curve[use], 1e-9)
            factors[cls] = float(np.average(ratio, weights=weights[use]))
        workday_mean = _workday_mean(factors)
        if workday_mean > 0:
            factors = {k: v / workday_mean for k, v in factors.items()}
        deseason = totals / np.maximum([factors[c] for c in classes], 1e-9)
        window = (last - idx).days < cfg.level_weeks * 7
        lw = _recency_weights(idx[window], last, cfg.level_half_life_days)
        a, b = _robust_line(x[window], deseason[window], lw)
        level_curve = np.maximum(a + b * x, 1e-9)
    return factors, a, b


def _workday_mean(factors: dict[DayClass, float]) -> float:
    # Normalise on the busier days so the level reads as "calls on an average working day".
    weekday_values = sorted((v for k, v in factors.items() if isinstance(k, int)), reverse=True)
    top = weekday_values[:5]
    return float(np.mean(top)) if top else 0.0


def _smooth(shape: np.ndarray, half_width: int) -> np.ndarray:
    """Triangular moving average that keeps the total (and zeros at closed hours)."""
    if half_width <= 0:
        return shape
    kernel = np.concatenate([np.arange(1, half_width + 2), np.arange(half_width, 0, -1)])
    kernel = kernel / kernel.sum()
    smoothed = np.convolve(shape, kernel, mode="same") * (shape > 0)
    total = smoothed.sum()
    return smoothed / total * shape.sum() if total > 0 else shape


def _fit_profiles(
    mat: pd.DataFrame, days: _Days, cfg: ForecastConfig, minutes: int
) -> dict[DayClass, np.ndarray]:
    values = mat.fillna(0.0).to_numpy()
    last = mat.index[-1]
    weights = _recency_weights(mat.index, last, cfg.profile_half_life_weeks * 7)
    recent = np.asarray((last - mat.index).days < cfg.profile_weeks * 7)
    classes = days.classes.to_numpy()

    def pooled(sel: np.ndarray) -> np.ndarray | None:
        if not sel.any():
            return None
        vol = (values[sel] * weights[sel, None]).sum(axis=0)
        total = vol.sum()
        return vol / total if total > 0 else None

    raw: dict[DayClass, np.ndarray] = {}
    for cls in set(classes.tolist()):
        sel = (classes == cls) & (days.regular | (classes == HOLIDAY))
        shape = pooled(sel & recent) if (sel & recent).sum() >= 2 else pooled(sel)
        if shape is not None:
            raw[cls] = shape
    workday_classes = [c for c in raw if isinstance(c, int) and c < 5]
    base = pooled(np.isin(classes, workday_classes) & days.regular & recent)
    profiles: dict[DayClass, np.ndarray] = {}
    for cls, shape in raw.items():
        if base is not None and cls in workday_classes:
            shape = (1 - cfg.profile_shrinkage) * shape + cfg.profile_shrinkage * base
        profiles[cls] = _smooth(shape, cfg.profile_smoothing_minutes // minutes)
    if MAKEUP not in profiles and base is not None:
        profiles[MAKEUP] = base
    return profiles


def _fit_holiday_factor(
    days: _Days,
    factors: dict[DayClass, float],
    a: float,
    b: float,
    cfg: ForecastConfig,
) -> float:
    hol = days.classes == HOLIDAY
    if not hol.any():
        return cfg.default_holiday_factor
    last = days.totals.index[-1]
    ratios = []
    for stamp, total in days.totals[hol].items():
        day = pd.Timestamp(stamp)  # type: ignore[arg-type]
        x = float((day - last).days)
        regular = max(a + b * x, 1e-9) * factors.get(day.weekday(), 0.0)
        if regular > 0:
            ratios.append(total / regular)
    return float(np.clip(np.median(ratios), 0.0, 1.5)) if ratios else cfg.default_holiday_factor


def _fit_aht(
    history: pd.DataFrame, calendar: WorkCalendar | None, slots: np.ndarray, cfg: ForecastConfig
) -> dict[str, np.ndarray]:
    default = np.full(len(slots), cfg.default_aht_seconds)
    if "aht_seconds" not in history or history["aht_seconds"].notna().sum() == 0:
        return {"workday": default, "offday": default.copy()}
    h = history.dropna(subset=["aht_seconds"]).copy()
    starts = pd.to_datetime(h["interval_start"])
    h["slot"] = ((starts - starts.dt.normalize()).dt.total_seconds() // 60).astype(int)
    weight_col = "handled" if "handled" in h and h["handled"].notna().all() else "offered"
    h["w"] = h[weight_col].fillna(0.0).clip(lower=0) + 1e-6
    h["working"] = [
        (calendar.day_type(d) == "workday") if calendar else d.weekday() < 5 for d in starts.dt.date
    ]
    overall = float(np.average(h["aht_seconds"], weights=h["w"]))
    out: dict[str, np.ndarray] = {}
    for key, flag in (("workday", True), ("offday", False)):
        part = h[h["working"] == flag]
        if part.empty:
            part = h
        part = part.assign(aht_w=part["aht_seconds"] * part["w"])
        sums = part.groupby("slot")[["aht_w", "w"]].sum()
        curve = pd.DataFrame({"aht": sums["aht_w"] / sums["w"], "w": sums["w"]}).reindex(slots)
        # Shrink thin slots (night) to the overall mean: a few calls make a noisy AHT.
        k = 30.0
        wts = curve["w"].fillna(0.0).to_numpy()
        aht = curve["aht"].fillna(overall).to_numpy()
        out[key] = (wts * aht + k * overall) / (wts + k)
    return out


def fit_forecast(
    history_df: pd.DataFrame,
    calendar: WorkCalendar | str | None = "CN",
    config: ForecastConfig | None = None,
) -> ForecastModel:
    """Fit the forecast on an interval history (the frame `load_calls`/`parse_call_file` give).

    `calendar` is a WorkCalendar, a country code ("CN", "IL", "US") or None (no holidays).
    """
    cfg = config or ForecastConfig()
    cal = _as_calendar(calendar)
    mat, minutes = _matrix(history_df, "offered")
    slots = np.asarray(mat.columns, dtype=int)
    totals = mat.fillna(0.0).sum(axis=1)
    days = _classify(totals, cal, cfg)
    if not days.regular.any():
        raise ValueError("history has no regular (non-holiday) day to fit on")
    factors, a, b = _fit_factors_and_level(days, cfg)
    profiles = _fit_profiles(mat, days, cfg, minutes)
    if MAKEUP not in factors:
        factors[MAKEUP] = 1.0  # an average working day (the normalisation's unit)
    return ForecastModel(
        interval_minutes=minutes,
        slots=slots,
        last_history_day=mat.index[-1].date(),
        level=a,
        trend=b,
        day_factors=factors,
        profiles=profiles,
        holiday_factor=_fit_holiday_factor(days, factors, a, b, cfg),
        aht_profiles=_fit_aht(history_df, cal, slots, cfg),
        calendar=cal,
        config=cfg,
    )
