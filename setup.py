"""Build of the C extensions; everything else is in pyproject.toml.

``optional=True``: without a C compiler the package still installs; the scan then uses its
portable path (hyperscan only) and the key=value formats their regular expression, slower but
with the same results.
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
        ),
        Extension(  # enrichment by parts of usual lines (scan/fast.py, _grouped)
            "sentinelle.scan._parts",
            ["src/sentinelle/scan/_parts.c"],
            extra_compile_args=["-O3", "-std=c99"],
            optional=True,
        ),
        Extension(  # the key=value tokenizer of formats/_kv.py, for text without escapes
            "sentinelle.formats._kvfast",
            ["src/sentinelle/formats/_kvfast.c"],
            extra_compile_args=["-O3", "-std=c99"],
            optional=True,
        ),
    ]
)
