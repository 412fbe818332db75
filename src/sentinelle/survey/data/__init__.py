"""Package data: questionnaires, margins, simulation calibration, report wording."""
