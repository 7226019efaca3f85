"""Tooling for developing Circle Map, not part of the product package.

:mod:`devtools.devserver` starts the app as a child process and knows the
system Chromium's path and flags; the Playwright tests (``tests/``), the
benchmark (``benchmarks/``) and ``scripts/take_screenshots.py`` use it. Run
from the repository root (pytest, ``python -m benchmarks.run``,
``python -m scripts.take_screenshots``), where it imports as ``devtools``.
"""
