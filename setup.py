"""Build of the one C extension (the scan's line walker); everything else is in pyproject.toml.

``optional=True``: without a C compiler the package still installs and the scan uses its
portable path (hyperscan only), slower but with the same results.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "sentinelle.scan._lines",
            ["src/sentinelle/scan/_lines.c"],
            depends=["src/sentinelle/scan/_lines_check.h", "src/sentinelle/scan/_lines_usual.h"],
            extra_compile_args=["-O3", "-std=c99"],
            optional=True,
        )
    ]
)
