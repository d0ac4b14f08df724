"""Interval forecast of offered calls and AHT, and its backtest against seasonal naive."""

from wfm.forecast.backtest import backtest
from wfm.forecast.model import ForecastConfig, ForecastModel, fit_forecast

__all__ = ["ForecastConfig", "ForecastModel", "backtest", "fit_forecast"]
