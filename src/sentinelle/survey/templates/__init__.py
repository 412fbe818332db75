"""Package data: Jinja2 templates of the barometer report."""
