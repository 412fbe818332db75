"""Simulated barometer respondents, calibrated on the published 2025 figures.

Counts are allocated exactly (largest remainders) within care and non-care staff, then shuffled,
so the raw 2025 file reproduces the published percentages and its 44 % of non-care respondents.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from sentinelle.errors import SurveyError
from sentinelle.survey import questionnaire as qb
from sentinelle.survey.questionnaire import NO, YES
from sentinelle.survey.table import Table


@cache
def calibration() -> dict[str, Any]:
    """The simulation calibration shipped as package data."""
    text = (
        resources.files("sentinelle.survey")
        .joinpath("data")
        .joinpath("simulation.yaml")
        .read_text("utf-8")
    )
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def allocate(rng: np.random.Generator, size: int, shares: dict[str, float]) -> np.ndarray:
    """Exactly ``round(share × size)`` of each code (largest remainders), in random order."""
    codes = list(shares)
    raw = np.array([max(shares[c], 0.0) for c in codes]) / sum(max(v, 0.0) for v in shares.values())
    counts = np.floor(raw * size).astype(int)
    order = np.argsort(-(raw * size - counts), kind="stable")
    counts[order[: size - counts.sum()]] += 1
    out = np.repeat(np.array(codes, dtype=object), counts)
    rng.shuffle(out)
    return out


def _split(
    share: dict[str, float], shift: dict[str, float], care: float
) -> tuple[dict[str, float], dict[str, float]]:
    """Care and non-care distributions whose mix at ``care`` gives ``share``."""
    care_d = {k: share[k] - (1 - care) * shift.get(k, 0.0) for k in share}
    other_d = {k: share[k] + care * shift.get(k, 0.0) for k in share}
    return care_d, other_d


def simulate(edition: int = 2025, n: int | None = None, seed: int = 2025) -> Table:
    """A respondent table for an edition (questionnaire columns, ETAB_ID, token, edition)."""
    cal = calibration()
    spec = cal["editions"].get(edition)
    if spec is None:
        known = ", ".join(map(str, cal["editions"]))
        raise SurveyError(
            f"no simulation calibration for edition {edition}", hint=f"editions: {known}"
        )
    size = int(n or spec["n"])
    if size < 50:
        raise SurveyError(f"--n {size}: simulate at least 50 respondents")
    rng = np.random.default_rng(seed)
    q = qb.load(edition)
    cols: dict[str, np.ndarray] = {}
    cols["GROUPE_PRO"] = allocate(rng, size, spec["groups"])
    cols["PROFESSION"] = _professions(rng, cols["GROUPE_PRO"], cal["professions"])
    care_mask = np.isin(cols["GROUPE_PRO"], cal["care_groups"])
    care = float(care_mask.mean())
    cols.update(_establishments(rng, spec["etab_types"], cal["establishments"], size))
    for code in ("PERCEPTION", "USAGE"):
        cols[code] = _single(rng, spec["single"][code], care_mask, care, np.ones(size, bool))
    users = np.isin(cols["USAGE"], q.bases["users"].answers)
    for code, item in spec["single"].items():
        if code not in cols:
            base = users if q.questions[code].base == "users" else np.ones(size, bool)
            cols[code] = _single(rng, item, care_mask, care, base)
    for code, options in spec["multi"].items():
        cols.update(_multi(rng, code, options, care_mask, care, users, q.questions[code].base))
    cols["token"] = np.array([f"{edition}-{rng.integers(16**8):08x}-{i:05d}" for i in range(size)])
    cols["edition"] = np.full(size, str(edition), dtype=object)
    return _table(q, cols, size, f"simulated {edition}")


def _professions(rng: np.random.Generator, groups: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    out = np.empty(len(groups), dtype=object)
    for group, shares in spec.items():
        where = np.flatnonzero(groups == group)
        out[where] = allocate(rng, len(where), shares)
    return out


def _establishments(
    rng: np.random.Generator, shares: dict[str, float], counts: dict[str, int], size: int
) -> dict[str, np.ndarray]:
    types = allocate(rng, size, shares)
    regions = [a.code for a in qb.load(2025).questions["REGION"].answers]
    etab = np.empty(size, dtype=object)
    region = np.empty(size, dtype=object)
    number = 0
    for kind, k in counts.items():
        ids = [f"E{number + j + 1:02d}" for j in range(k)]
        homes = {e: regions[(number + j) * 5 % len(regions)] for j, e in enumerate(ids)}
        number += k
        where = np.flatnonzero(types == kind)
        # every establishment gets at least one respondent, the rest at random (unequal sizes)
        picks = np.concatenate([ids, rng.choice(ids, max(len(where) - k, 0))])[: len(where)]
        rng.shuffle(picks)
        etab[where] = picks
        region[where] = [homes[e] for e in picks]
    return {"ETAB_TYPE": types, "ETAB_ID": etab, "REGION": region}


def _single(
    rng: np.random.Generator,
    item: dict[str, Any],
    care_mask: np.ndarray,
    care: float,
    base: np.ndarray,
) -> np.ndarray:
    out = np.full(len(care_mask), "", dtype=object)
    for dist, mask in zip(
        _split(item["share"], item["shift"], care), (care_mask, ~care_mask), strict=True
    ):
        where = np.flatnonzero(mask & base)
        out[where] = allocate(rng, len(where), dist)
    return out


def _multi(
    rng: np.random.Generator,
    code: str,
    options: dict[str, Any],
    care_mask: np.ndarray,
    care: float,
    users: np.ndarray,
    base: str,
) -> dict[str, np.ndarray]:
    among_users = options.get("among") == "users"
    out = {}
    for option, item in options.items():
        if option == "among":
            continue
        shares = _split({"y": item["share"]}, {"y": item["shift"]}, care)
        column = np.full(len(care_mask), NO if base == "all" else "", dtype=object)
        for share, mask in zip(
            (shares[0]["y"], shares[1]["y"]), (care_mask, ~care_mask), strict=True
        ):
            group = mask & (users if base == "users" else True)
            k = round(share * group.sum())
            eligible = np.flatnonzero(group & users) if among_users else np.flatnonzero(group)
            column[np.flatnonzero(group)] = NO
            column[rng.choice(eligible, min(k, len(eligible)), replace=False)] = YES
        out[f"{code}_{option}"] = column
    return out


def _table(q: qb.Questionnaire, cols: dict[str, np.ndarray], size: int, source: str) -> Table:
    order = ["token", "edition", "ETAB_ID"]
    order += [c for question in q.questions.values() for c in question.columns()]
    data = {c: [str(v) for v in cols[c]] for c in order}
    return Table(order, data, list(range(2, size + 2)), source)
