"""Tests of the annual barometer (sentinelle.survey)."""
