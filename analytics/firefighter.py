"""Firefighter mode: episodes of sustained firefighting and the team's current status."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.sprints import completed_sprints

STATUS_SPRINTS = 3


@dataclass(frozen=True)
class Episode:
    first_sprint: str
    last_sprint: str
    sprints: int


@dataclass(frozen=True)
class FirefighterStatus:
    status: str | None          # healthy / at_risk / firefighting; None with fewer than 3 completed sprints
    reason: str
    last_sprints: list[str]
    episodes: list[Episode]


def firefighting_episodes(series: pd.DataFrame) -> list[Episode]:
    """Runs of 2 or more consecutive completed sprints that were firefighting."""
    done = completed_sprints(series)
    episodes: list[Episode] = []
    run: list[str] = []
    for name, firefighting in zip(done["sprint"], done["firefighting"]):
        if firefighting:
            run.append(name)
            continue
        if len(run) >= 2:
            episodes.append(Episode(run[0], run[-1], len(run)))
        run = []
    if len(run) >= 2:
        episodes.append(Episode(run[0], run[-1], len(run)))
    return episodes


def _rising(shares: list[float | None]) -> bool:
    """Each share higher than the one before it (the first compared with the sprint before the window)."""
    return all(a is not None and b is not None and b > a for a, b in zip(shares, shares[1:]))


def firefighter_status(series: pd.DataFrame) -> FirefighterStatus:
    done = completed_sprints(series)
    episodes = firefighting_episodes(series)
    if len(done) < STATUS_SPRINTS:
        return FirefighterStatus(None, f"needs {STATUS_SPRINTS} completed sprints, has {len(done)}",
                                 list(done["sprint"]), episodes)
    last = done.tail(STATUS_SPRINTS)
    hot = int(last["firefighting"].sum())
    # The rise is judged over the last three sprints and the one before them when there is one.
    context = done.tail(STATUS_SPRINTS + 1)["unplanned_share"]
    shares = [None if pd.isna(v) else float(v) for v in context]
    names = list(last["sprint"])
    if hot >= 2:
        return FirefighterStatus("firefighting", f"{hot} of the last {STATUS_SPRINTS} sprints were firefighting",
                                 names, episodes)
    if hot == 1:
        return FirefighterStatus("at_risk", f"1 of the last {STATUS_SPRINTS} sprints was firefighting",
                                 names, episodes)
    if _rising(shares):
        return FirefighterStatus("at_risk", f"the unplanned share rose in each of the last {STATUS_SPRINTS} sprints",
                                 names, episodes)
    return FirefighterStatus("healthy", f"none of the last {STATUS_SPRINTS} sprints was firefighting "
                             "and the unplanned share is not rising", names, episodes)
