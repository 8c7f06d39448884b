"""Knobs: defaults from the metric definitions, TOML loading, errors that name the key."""

import pytest

from analytics.config import ConfigError, Knobs, load_config


def write(tmp_path, text):
    p = tmp_path / "firebreak.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults():
    k = Knobs()
    assert (k.firefight_threshold, k.window_months, k.reserve_quantile, k.recurrence_days) == (0.5, 6, 0.8, 90)
    assert (k.baseline_sprints, k.invest_sprints, k.expected_reduction, k.horizon_sprints) == (6, 6, 0.4, 12)
    assert k.default_reserve_points == 0 and k.invest_points_per_sprint is None and k.point_value is None
    assert k.unplanned_types == ("Incident", "Bug", "Hotfix", "Support", "Problem")
    assert k.rule_type and k.rule_label and k.rule_added_mid_sprint


def test_file_overrides(tmp_path):
    k = load_config(write(tmp_path, 'window_months = 12\nreserve_quantile = 0.9\nunplanned_labels = ["oops"]\n'
                                    'rule_label = false\npoint_value = 800\n'))
    assert (k.window_months, k.reserve_quantile, k.unplanned_labels, k.rule_label, k.point_value) == (
        12, 0.9, ("oops",), False, 800.0)


@pytest.mark.parametrize("text, key", [
    ("windw_months = 3", "windw_months"),
    ('window_months = "six"', "window_months"),
    ("window_months = 6.5", "window_months"),
    ("rule_type = 1", "rule_type"),
    ("firefight_threshold = true", "firefight_threshold"),
    ("unplanned_types = [1, 2]", "unplanned_types"),
    ("reserve_quantile = 1.5", "reserve_quantile"),
    ("invest_sprints = 0", "invest_sprints"),
])
def test_errors_name_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError, match=f"'{key}'"):
        load_config(write(tmp_path, text))


def test_invalid_toml(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "window_months = "))
