"""Command line: ``python -m circlemap {validate,export,assets} ...``.

Each subcommand lives in its own module exposing ``add_arguments(parser)``
and ``run(args) -> int``; this module only dispatches, importing a
subcommand's module when that subcommand runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from circlemap.errors import CircleMapError

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("circlemap.validate", "check the data files against the schema"),
    "export": ("circlemap.export", "export the map (png, pdf, svg, html) or its data"),
    "assets": ("circlemap.cli", "copy Leaflet and plugin assets into static/vendor"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``assets`` takes no arguments."""
    del parser


def run(args: argparse.Namespace) -> int:
    """Run ``assets``: copy the vendor files the app serves."""
    del args
    from circlemap.assets import ensure_vendor_assets

    print(f"assets ready in {ensure_vendor_assets()}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one subparser per subcommand."""
    parser = argparse.ArgumentParser(prog="python -m circlemap", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        module = importlib.import_module(module_name)
        module.add_arguments(sub)
        sub.set_defaults(_module=module_name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    module = importlib.import_module(args._module)
    try:
        return int(module.run(args))
    except CircleMapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
