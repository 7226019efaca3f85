"""Command line: ``circlemap {validate,export,brief,assets} ...`` (also ``python -m circlemap``).

Every argument is parsed here and nowhere else; each subcommand is a
function that takes the parsed arguments, calls the package and returns the
exit code. Any :class:`~circlemap.errors.CircleMapError` is printed as
``error: <message>`` with exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from circlemap import basemaps, errors, export, quote_checks, settings, validate, views, vocab
from circlemap.errors import CircleMapError, ExportError
from circlemap.filters import Selection

if TYPE_CHECKING:
    from circlemap.catalog import Catalog


# --- validate ------------------------------------------------------------------------------


def add_validate_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``circlemap validate``."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=(
            "data files (or directories) to check; default: every layer and table of the repository"
        ),
    )
    parser.add_argument(
        "--skip-quotes",
        action="store_true",
        help=(
            "do not check quotes against the source texts (settings.SEEDS_DIR, "
            f"${settings.SEEDS_ENV}); without it, missing source texts are an error"
        ),
    )


def run_validate(args: argparse.Namespace) -> int:
    """Validate; print every problem and return 1 if any, else print a summary and return 0."""
    raw = list(getattr(args, "paths", None) or [])
    paths = validate.expand_paths(raw) if raw else list(validate.repository_files().values())
    known = {*validate.LAYER_FILES.values(), *validate.TABLE_FILES.values()}
    unknown = [p for p in paths if p.name not in known and p.suffix != ".geojson"]
    if unknown:
        for path in unknown:
            print(errors.format_problem(str(path), None, None, "unknown data file name"))
        return 1
    if not paths:
        print("no data files to check")
        return 1
    skip_quotes = bool(getattr(args, "skip_quotes", False))
    if not skip_quotes and not quote_checks.seeds_available():
        print(
            f"error: the source texts are missing: {settings.SEEDS_DIR} is not a folder, so no "
            "quote can be checked. Put the source texts there (or point "
            f"${settings.SEEDS_ENV} at them), or pass --skip-quotes to validate everything else.",
            file=sys.stderr,
        )
        return 1
    failures = validate.validate_files(paths, check_quotes=not skip_quotes)
    for failure in failures:
        print(failure)
    if failures:
        total = sum(len(f.problems) for f in failures)
        print(f"{total} problem(s) in {len(failures)} of {len(paths)} file(s)")
        return 1
    counts = []
    for path in paths:
        checked = validate.check_file(path)
        counts.append(f"{len(checked.ids)} {checked.kind}")
    quotes = (
        "quotes NOT checked (--skip-quotes)"
        if skip_quotes
        else f"quotes checked against {settings.SEEDS_DIR}"
    )
    print(f"OK: {len(paths)} file(s) valid ({', '.join(counts)}); {quotes}")
    return 0


# --- export --------------------------------------------------------------------------------


def _split(values: Sequence[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or ():
        out += [v.strip() for v in re.split(r"[,，、]", value) if v.strip()]
    return out


def _city_key(name: str) -> str | None:
    folded = re.sub(r"[^a-z]", "", name.casefold())
    for city in vocab.CITIES:
        if name in (city.zh, city.adcode) or folded == re.sub(r"[^a-z]", "", city.en.casefold()):
            return city.zh
    return None


def _keys(values: list[str], mapping: dict[str, vocab.Term], what: str) -> tuple[str, ...]:
    keys = []
    for value in values:
        found = next(
            (
                k
                for k, term in mapping.items()
                if value.casefold() in (k, term.zh, term.en.casefold())
            ),
            None,
        )
        if found is None:
            msg = f"unknown {what} {value!r} (expected one of {', '.join(mapping)})"
            raise ExportError(msg)
        keys.append(found)
    return tuple(keys)


def selection_from_args(args: argparse.Namespace) -> Selection:
    """The :class:`Selection` of ``--city/--kind/--status/--category`` (zh, en or key)."""
    cities = []
    for name in _split(args.city):
        key = _city_key(name)
        if key is None:
            known = ", ".join(f"{c.zh} ({c.en})" for c in vocab.CITIES)
            msg = f"unknown city {name!r} (expected one of {known})"
            raise ExportError(msg)
        cities.append(key)
    return Selection(
        cities=tuple(cities),
        kinds=_keys(_split(args.kind), vocab.KINDS, "kind"),
        statuses=_keys(_split(args.status), vocab.STATUSES, "status"),
        categories=_keys(_split(args.category), vocab.CATEGORIES, "category"),
    )


SELECTION_FLAGS: dict[str, str] = {
    "--city": "city (zh or en name), repeatable or comma-separated; default: the whole circle",
    "--kind": f"feature kind, repeatable or comma-separated ({', '.join(vocab.KINDS)})",
    "--status": f"status, repeatable or comma-separated ({', '.join(vocab.STATUSES)})",
    "--category": "measure category, repeatable or comma-separated",
}
"""The filter flags shared by ``export`` and ``brief`` and their help."""


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """``--city/--kind/--status/--category`` (:data:`SELECTION_FLAGS`)."""
    for flag, help_text in SELECTION_FLAGS.items():
        parser.add_argument(flag, action="append", metavar=flag[2:].upper(), help=help_text)


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``circlemap export``."""
    parser.epilog = (
        "example: circlemap export --city 淄博 --kind rail --lang en --format pdf -o out.pdf"
    )
    add_selection_arguments(parser)
    parser.add_argument("--feature", metavar="ID", help="id of a feature to highlight")
    parser.add_argument(
        "--view",
        default=views.DEFAULT_VIEW,
        metavar="PAGE",
        help=(
            f"map page to export: {', '.join(views.MAP_VIEWS)} (default %(default)s: every "
            "feature the filters keep; transport: the links; ecology: corridors and sites "
            "along the river, with the ecology measures)"
        ),
    )
    parser.add_argument(
        "--lang",
        default=settings.DEFAULT_LANG,
        help=f"language of the export ({', '.join(settings.LANGS)}; default %(default)s)",
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        metavar="FORMAT",
        help=f"{'|'.join(export.FORMATS)}; default: from the -o suffix, else pdf",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="file to write ('-' for standard output); default: a descriptive name here",
    )
    parser.add_argument(
        "--width",
        type=int,
        default=export.DEFAULT_WIDTH_PX,
        metavar="PX",
        help="PNG width in pixels (default %(default)s)",
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", help="date printed on the export (default: today)"
    )
    parser.add_argument(
        "--basemap",
        default=basemaps.DEFAULT_BASEMAP,
        metavar="KEY",
        help=(
            f"background of png/pdf/svg: {', '.join(basemaps.BASEMAPS)} (default %(default)s: "
            "no tiles, no network); tiles that cannot be fetched within "
            f"{settings.TILE_TIMEOUT_S:g} s leave the vector background and a note in the footer; "
            f"tianditu reads its key from ${settings.TIANDITU_KEY_ENV}"
        ),
    )


def _load_catalog() -> Catalog:
    from circlemap.catalog import load_catalog

    return load_catalog()


SUFFIX_FORMATS: dict[str, str] = {"json": "geojson", "htm": "html"}
"""File name suffixes that name an export format other than their own spelling."""


def _export_format(fmt: str | None, output: str | None) -> str:
    """The format from ``--format``, else from the ``-o`` suffix, else ``pdf``.

    A ``--format`` that the output file's own suffix contradicts (``--format
    png -o x.pdf``) is an error: the file would hold bytes its name belies.
    A suffix that names no format (``-o map``, ``-o x.bin``) is left alone.
    """
    suffix = Path(output).suffix.lstrip(".").lower() if output and output != "-" else ""
    named = SUFFIX_FORMATS.get(suffix, suffix) if suffix else None
    chosen = (fmt or named or "pdf").lower()
    export.check_format(chosen)
    if fmt is not None and named in export.FORMATS and named != chosen:
        msg = (
            f"--format {fmt} contradicts the output file {output!r} (a .{suffix} file): "
            f"use --format {named}, or name the file *.{chosen}"
        )
        raise ExportError(msg)
    return chosen


def _output_path(output: str | None, name: str) -> Path:
    path = Path(output) if output else Path.cwd() / name
    if path.is_dir():
        msg = f"output {str(path)!r} is a directory (give a file name, e.g. {path / name})"
        raise ExportError(msg)
    parent = path.parent if str(path.parent) else Path()
    if not parent.is_dir():
        msg = f"cannot write {str(path)!r}: folder {str(parent)!r} does not exist"
        raise ExportError(msg)
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        msg = f"cannot write {str(path)!r}: permission denied"
        raise ExportError(msg)
    return path


def run_export(args: argparse.Namespace) -> int:
    """Run ``export``: check every argument, render, write; return the exit code.

    Raises
    ------
    ExportError
        With a message naming the bad argument (the CLI prints it, exit 2).
    """
    fmt = _export_format(args.fmt, args.output)
    if args.lang not in settings.LANGS:
        msg = f"unknown language {args.lang!r} (expected one of {', '.join(settings.LANGS)})"
        raise ExportError(msg)
    try:
        today = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        msg = f"bad --date {args.date!r} (expected YYYY-MM-DD)"
        raise ExportError(msg) from None
    if args.basemap not in basemaps.BASEMAPS:
        msg = (
            f"unknown basemap {args.basemap!r} for --basemap "
            f"(expected one of {', '.join(basemaps.BASEMAPS)})"
        )
        raise ExportError(msg)
    views.check_view(args.view)
    selection = selection_from_args(args)
    name = export.suggested_filename(
        selection, args.lang, fmt, today, feature=args.feature, view=args.view
    )
    to_stdout = args.output == "-"
    path = None if to_stdout else _output_path(args.output, name)
    catalog = _load_catalog()
    data = export.export(
        catalog,
        selection,
        lang=args.lang,
        fmt=fmt,
        feature=args.feature,
        today=today,
        width_px=args.width,
        basemap=args.basemap,
        tianditu_key=basemaps.key_from_env(args.basemap or "")
        or os.environ.get(settings.TIANDITU_KEY_ENV),
        view=args.view,
    )
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        path.write_bytes(data)
    except OSError as exc:
        msg = f"cannot write {str(path)!r}: {exc.strerror or exc}"
        raise ExportError(msg) from exc
    print(f"wrote {path} ({len(data) / 1024:.0f} KiB, {fmt})")
    return 0


# --- brief ---------------------------------------------------------------------------------


def add_brief_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``circlemap brief``."""
    from circlemap import brief

    parser.epilog = (
        "examples: circlemap brief --city 淄博 --lang zh -o brief.pdf; "
        "circlemap brief --all-cities --lang en --format docx -o briefs/"
    )
    add_selection_arguments(parser)
    parser.add_argument(
        "--all-cities",
        action="store_true",
        help="one briefing per circle city plus the whole circle (the other filters apply)",
    )
    parser.add_argument(
        "--lang",
        default=settings.DEFAULT_LANG,
        help=f"language of the briefing ({', '.join(settings.LANGS)}; default %(default)s)",
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        metavar="FORMAT",
        help=f"{'|'.join(brief.BRIEF_FORMATS)}; default: from the -o suffix, else pdf",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help=(
            "file to write; with --all-cities a folder (created if missing); "
            "default: descriptive names here"
        ),
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", help="export date printed on it (default: today)"
    )


def progress_bar(done: int, total: int, label: str, *, width: int = 24) -> str:
    """One line of the command line's progress bar, e.g. ``[######------] 3/8 Zibo``."""
    filled = round(width * done / total) if total else width
    return f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total} {label}"


def _batch_folder(output: str | None) -> Path:
    folder = Path(output) if output else Path.cwd()
    if folder.exists() and not folder.is_dir():
        msg = f"--all-cities writes several files: {str(folder)!r} must be a folder"
        raise ExportError(msg)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create folder {str(folder)!r}: {exc.strerror or exc}"
        raise ExportError(msg) from exc
    return folder


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        msg = f"cannot write {str(path)!r}: {exc.strerror or exc}"
        raise ExportError(msg) from exc


def run_brief(args: argparse.Namespace) -> int:
    """Run ``brief``: one briefing (PDF or DOCX), or ``--all-cities`` with a progress bar."""
    import time

    from circlemap import brief
    from circlemap.brief.content import scope_label

    fmt = args.fmt
    if fmt is None:  # from the file's suffix; --all-cities writes to a folder
        suffix = Path(args.output).suffix if args.output and not args.all_cities else ""
        fmt = suffix.lstrip(".") or "pdf"
    fmt = fmt.lower()
    try:
        today = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        msg = f"bad --date {args.date!r} (expected YYYY-MM-DD)"
        raise ExportError(msg) from None
    selection = selection_from_args(args)
    brief.briefing_filename(selection, args.lang, fmt, today)  # checks format and language
    if not args.all_cities:
        path = _output_path(args.output, brief.briefing_filename(selection, args.lang, fmt, today))
        start = time.perf_counter()
        data = brief.render_briefing(
            _load_catalog(), selection, lang=args.lang, fmt=fmt, today=today
        )
        _write(path, data)
        seconds = time.perf_counter() - start
        print(f"wrote {path} ({len(data) / 1024:.0f} KiB, {fmt}, {seconds:.1f} s)")
        return 0
    if selection.cities:
        msg = "--all-cities makes one briefing per city: leave out --city"
        raise ExportError(msg)
    folder = _batch_folder(args.output)
    catalog = _load_catalog()
    live = sys.stderr.isatty()

    def show(done: int, total: int, item: Selection) -> None:
        label = "done" if done == total else scope_label(item, args.lang)
        line = progress_bar(done, total, label)
        print(
            ("\r" + line.ljust(60)) if live else line,
            end="" if live else "\n",
            file=sys.stderr,
            flush=True,
        )

    start = time.perf_counter()
    written = []
    for item in brief.all_cities(
        catalog, lang=args.lang, fmt=fmt, today=today, selection=selection, progress=show
    ):
        path = folder / item.filename
        _write(path, item.data)
        written.append((path, len(item.data)))
    if live:
        print(file=sys.stderr)
    seconds = time.perf_counter() - start
    for path, size in written:
        print(f"wrote {path} ({size / 1024:.0f} KiB)")
    print(f"{len(written)} briefings ({fmt}, {args.lang}) in {seconds:.1f} s")
    return 0


# --- assets --------------------------------------------------------------------------------


def run_assets(args: argparse.Namespace) -> int:
    """Run ``assets``: copy the vendor files the app serves."""
    del args
    from circlemap.assets import ensure_vendor_assets

    print(f"assets ready in {ensure_vendor_assets()}")
    return 0


# --- dispatch ------------------------------------------------------------------------------

Subcommand = tuple[
    str, Callable[[argparse.ArgumentParser], None] | None, Callable[[argparse.Namespace], int]
]

SUBCOMMANDS: dict[str, Subcommand] = {
    "validate": ("check the data files against the schema", add_validate_arguments, run_validate),
    "export": (
        "export the map (png, pdf, svg, html) or its data",
        add_export_arguments,
        run_export,
    ),
    "brief": (
        "a briefing (pdf, docx) of a city, the circle or the filters; --all-cities for all",
        add_brief_arguments,
        run_brief,
    ),
    "assets": ("copy Leaflet and plugin assets into static/vendor", None, run_assets),
}
"""Name -> (help, argument adder or None, runner) of every subcommand."""


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one subparser per subcommand."""
    parser = argparse.ArgumentParser(prog="circlemap", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add_arguments, runner) in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        if add_arguments is not None:
            add_arguments(sub)
        sub.set_defaults(_run=runner)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point (the ``circlemap`` console script); returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args))
    except CircleMapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
