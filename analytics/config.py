"""Knobs: every tunable of the metric definitions, with their documented defaults.

A `Knobs` value is immutable and hashable, so the dashboard can use it as part
of a cache key. `load_config` reads the TOML file accepted by
`python -m analytics report --config FILE`; an unknown key or a value of the
wrong type raises `ConfigError` naming the key.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

DEFAULT_UNPLANNED_TYPES = ("Incident", "Bug", "Hotfix", "Support", "Problem")
DEFAULT_UNPLANNED_LABELS = ("unplanned", "interrupt", "incident", "hotfix", "support", "firefight")

# Rows of the category keyword table, in priority order: the first row with a
# keyword occurring in an incident's title, labels or components wins.
DEFAULT_CATEGORY_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("monitoring", ("alert", "monitoring", "dashboard", "metric", "observability", "paging")),
    ("error-handling", ("exception", "error handling", "unhandled", "crash", "null", "retry", "timeout handling")),
    ("integration", ("integration", "third-party", "partner", "vendor", "webhook", "upstream", "api contract")),
    ("configuration", ("config", "configuration", "flag", "setting", "drift", "secret", "certificate")),
    ("capacity", ("capacity", "disk", "memory", "pool", "exhausted", "quota", "throttl", "saturat")),
    ("deployment", ("deploy", "rollout", "release", "migration", "rollback")),
)

POSTMORTEM_TYPES = ("Post-incident review", "Postmortem", "Post-mortem")
POSTMORTEM_DONE_LABEL = "postmortem-done"
ACTION_ITEM_LABELS = ("postmortem", "incident-followup")
# Labels that mark an item as technical debt (compared without regard to case).
DEBT_LABELS = ("tech-debt", "techdebt", "debt")


class ConfigError(ValueError):
    """A config file or knob value that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Knobs:
    unplanned_types: tuple[str, ...] = DEFAULT_UNPLANNED_TYPES
    unplanned_labels: tuple[str, ...] = DEFAULT_UNPLANNED_LABELS
    rule_type: bool = True
    rule_label: bool = True
    rule_added_mid_sprint: bool = True
    firefight_threshold: float = 0.5
    default_reserve_points: float = 0.0
    window_months: int = 6
    reserve_quantile: float = 0.8
    recurrence_days: int = 90
    baseline_sprints: int = 6
    invest_points_per_sprint: float | None = None  # None: 20% of baseline throughput
    invest_sprints: int = 6
    expected_reduction: float = 0.4
    horizon_sprints: int = 12
    point_value: float | None = None
    # Not a config-file key of the report contract, but editable in the app.
    category_keywords: tuple[tuple[str, tuple[str, ...]], ...] = field(default=DEFAULT_CATEGORY_KEYWORDS)

    def replace(self, **changes: Any) -> "Knobs":
        return validate(dataclasses.replace(self, **changes))


# Keys a config file may set, with the Python types each accepts.
_FILE_KEYS: dict[str, tuple[type, ...]] = {
    "unplanned_types": (list,),
    "unplanned_labels": (list,),
    "rule_type": (bool,),
    "rule_label": (bool,),
    "rule_added_mid_sprint": (bool,),
    "firefight_threshold": (int, float),
    "default_reserve_points": (int, float),
    "window_months": (int,),
    "reserve_quantile": (int, float),
    "recurrence_days": (int,),
    "baseline_sprints": (int,),
    "invest_points_per_sprint": (int, float),
    "invest_sprints": (int,),
    "expected_reduction": (int, float),
    "horizon_sprints": (int,),
    "point_value": (int, float),
}

_TYPE_WORDS = {list: "a list of strings", bool: "true or false", int: "an integer", float: "a number"}


def _check_type(key: str, value: Any) -> Any:
    allowed = _FILE_KEYS[key]
    # bool is a subclass of int: never accept true/false where a number is meant.
    ok = isinstance(value, allowed) and not (isinstance(value, bool) and bool not in allowed)
    if ok and list in allowed:
        ok = all(isinstance(v, str) for v in value)
    if not ok:
        want = " or ".join(dict.fromkeys(_TYPE_WORDS[t] for t in allowed))
        raise ConfigError(f"config key '{key}' must be {want}, got {value!r}")
    if list in allowed:
        return tuple(value)
    if float in allowed:
        return float(value)
    return value


def validate(knobs: Knobs) -> Knobs:
    """Range checks shared by the config file, the CLI and the app's controls."""
    checks = [
        ("firefight_threshold", 0 <= knobs.firefight_threshold <= 1, "between 0 and 1"),
        ("reserve_quantile", 0 <= knobs.reserve_quantile <= 1, "between 0 and 1"),
        ("expected_reduction", 0 <= knobs.expected_reduction <= 1, "between 0 and 1"),
        ("window_months", knobs.window_months >= 1, "at least 1"),
        ("recurrence_days", knobs.recurrence_days >= 0, "0 or more"),
        ("baseline_sprints", knobs.baseline_sprints >= 1, "at least 1"),
        ("invest_sprints", knobs.invest_sprints >= 1, "at least 1"),
        ("horizon_sprints", knobs.horizon_sprints >= 1, "at least 1"),
        ("default_reserve_points", knobs.default_reserve_points >= 0, "0 or more"),
        ("invest_points_per_sprint",
         knobs.invest_points_per_sprint is None or knobs.invest_points_per_sprint >= 0, "0 or more"),
        ("point_value", knobs.point_value is None or knobs.point_value >= 0, "0 or more"),
    ]
    for key, ok, want in checks:
        if not ok:
            raise ConfigError(f"config key '{key}' must be {want}, got {getattr(knobs, key)!r}")
    return knobs


def knobs_from_mapping(values: dict[str, Any], base: Knobs | None = None) -> Knobs:
    unknown = sorted(set(values) - set(_FILE_KEYS))
    if unknown:
        raise ConfigError(
            f"unknown config key '{unknown[0]}' (known keys: {', '.join(sorted(_FILE_KEYS))})"
        )
    changes = {key: _check_type(key, value) for key, value in values.items()}
    return (base or Knobs()).replace(**changes)


def load_config(path: str | Path) -> Knobs:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    return knobs_from_mapping(data)


FILE_KEYS = tuple(_FILE_KEYS)
KNOB_FIELDS = tuple(f.name for f in fields(Knobs))
