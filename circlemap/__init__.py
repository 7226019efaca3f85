"""Circle Map: domain logic for the Provincial Capital Economic Circle map dashboard.

The package never imports Streamlit, except in the :mod:`circlemap.ui` package, so
every module outside it is testable without a Streamlit runtime.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
