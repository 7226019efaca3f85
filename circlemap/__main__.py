"""``python -m circlemap``: see :mod:`circlemap.cli`."""

from __future__ import annotations

from circlemap.cli import main

raise SystemExit(main())
