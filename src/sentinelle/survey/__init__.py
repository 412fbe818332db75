"""The annual barometer: questionnaire, responses, weighting, estimates, editions, report.

The pipeline reads like the package layout::

    imported = read_responses(path)            # importers
    checked = validate(imported)               # validation: bad rows listed, never dropped silently
    weights, report = weight(checked.table, load_margins("drees"))   # weighting (raking)
    rows = estimate(values, prepare(weighted, margins), question)    # estimation (R survey's)
"""

from __future__ import annotations

from sentinelle.survey.estimation import Estimate, estimate, prepare
from sentinelle.survey.importers import read_responses
from sentinelle.survey.questionnaire import Questionnaire, load
from sentinelle.survey.simulate import simulate
from sentinelle.survey.validation import validate
from sentinelle.survey.weighting import Margins, load_margins, weight

__all__ = [
    "Estimate",
    "Margins",
    "Questionnaire",
    "estimate",
    "load",
    "load_margins",
    "prepare",
    "read_responses",
    "simulate",
    "validate",
    "weight",
]
