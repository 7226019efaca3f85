"""The font every export draws text in, shipped by a pinned PyPI package.

Exports must look the same on every machine, so they never rely on a system
font: the Chinese (and Latin) text of PNG, PDF and SVG files is set in
WenQuanYi Micro Hei (文泉驿微米黑), a TrueType (``glyf`` outlines) font
licensed Apache-2.0 (name table, id 13), installed by the PyPI package
``paperang-p2-fonts-cjk`` as ``fonts/wqy-microhei.ttc``. TrueType outlines
embed cleanly in matplotlib PDFs as CID Type 42 fonts with a ToUnicode map,
so the PDF text stays extractable; CFF-based OpenType CJK fonts do not.

:func:`register_export_font` adds the font to matplotlib's font manager at
call time (once per process) and :func:`export_rc` gives the ``rcParams``
a render uses. :func:`font_face_css` subsets the font to the characters an
SVG shows and returns an ``@font-face`` rule that embeds it, so the SVG's
real ``<text>`` renders in the same font offline.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import logging
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, Final

from circlemap.errors import ExportError

FONT_PACKAGE: Final = "paperang_p2_fonts_cjk"
"""Import name of the PyPI package ``paperang-p2-fonts-cjk`` (pinned in requirements.txt)."""

FONT_RESOURCE: Final = "fonts/wqy-microhei.ttc"
"""Path of the font collection inside :data:`FONT_PACKAGE`."""

FONT_FACE_INDEX: Final = 0
"""Face of the collection used: 0 = WenQuanYi Micro Hei (1 is its Mono variant)."""

FONT_FAMILY: Final = "WenQuanYi Micro Hei"
"""Family name matplotlib knows the font by once registered."""

FALLBACK_FAMILY: Final = "DejaVu Sans"
"""Bundled with matplotlib itself: glyphs the CJK font lacks (arrows, dashes)."""

FONT_LICENCE: Final = "Apache-2.0"


def font_path() -> Path:
    """Path of the installed font file (TrueType collection).

    Raises
    ------
    ExportError
        If the font package is not installed.
    """
    try:
        path = Path(str(resources.files(FONT_PACKAGE).joinpath(FONT_RESOURCE)))
    except ModuleNotFoundError as exc:
        msg = (
            f"the export font package is missing: install 'paperang-p2-fonts-cjk' "
            f"(pip install -r requirements.txt); it provides {FONT_FAMILY}"
        )
        raise ExportError(msg) from exc
    if not path.is_file():
        msg = f"export font file not found: {path}"
        raise ExportError(msg)
    return path


@functools.cache
def register_export_font() -> str:
    """Add the export font to matplotlib's font manager (once); return its family.

    Registration is process-wide and idempotent: every later call returns the
    cached family name without touching the font manager again.
    """
    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(path)
    names = {entry.name for entry in font_manager.fontManager.ttflist if entry.fname == str(path)}
    if FONT_FAMILY not in names:
        msg = f"{path} does not provide the family {FONT_FAMILY!r} (found {sorted(names)})"
        raise ExportError(msg)
    return FONT_FAMILY


def export_rc() -> dict[str, Any]:
    """``rcParams`` of every print export: bundled fonts only, embeddable text.

    ``pdf.fonttype`` 42 embeds TrueType (CID) subsets with Unicode maps, so
    ``pdftotext`` finds the Chinese text; ``svg.fonttype`` ``none`` keeps
    SVG text as ``<text>`` (the font is embedded by :func:`font_face_css`).
    """
    family = register_export_font()
    return {
        "font.family": [family, FALLBACK_FAMILY],
        "font.sans-serif": [family, FALLBACK_FAMILY],
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "none",
        "svg.hashsalt": "circlemap",
        "axes.unicode_minus": False,
        # Unhinted glyph advances: the halo/bold outlines (text drawn as paths)
        # then line up exactly with the real text drawn over them in a PNG.
        "text.hinting": "none",
    }


def font_face_css(text: str) -> str:
    """An ``@font-face`` rule embedding the export font, subset to ``text``.

    Parameters
    ----------
    text : str
        Every character the document shows (duplicates are fine).

    Returns
    -------
    str
        CSS declaring :data:`FONT_FAMILY` from a base64 TrueType data URL.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = sorted({ch for ch in text if ch.isprintable() or ch == " "})
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.drop_tables += ["FFTM"]  # FontForge timestamps: nothing to subset
    font = TTFont(font_path(), fontNumber=FONT_FACE_INDEX)  # lazy: only what the subset needs
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(chars))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f"@font-face {{ font-family: '{FONT_FAMILY}'; "
        f"src: url(data:font/ttf;base64,{data}) format('truetype'); }}"
    )


@contextlib.contextmanager
def quiet_subsetting() -> Iterator[None]:
    """Silence fontTools' per-table notes while matplotlib subsets the font.

    Matplotlib's PDF backend subsets with fontTools, which logs one warning
    per table it passes through unchanged (``FFTM NOT subset``): harmless,
    but noise in the app's and the CLI's output.
    """
    logger = logging.getLogger("fontTools.subset")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
