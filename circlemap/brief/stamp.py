"""Place one-page vector PDFs (the briefing's maps) onto pages of another PDF, with pypdf.

Each map page becomes a Form XObject drawn once where the layout left room
for it: its paths and its embedded-font text stay vector and extractable, and
its content is copied, not parsed (a print map holds tens of thousands of
path points, which pypdf's page merging would parse and rewrite).
"""

from __future__ import annotations

import io
from typing import Any


def _form_xobject(page: Any, writer: Any) -> Any:
    """A one-page PDF's page as a Form XObject owned by ``writer`` (content not reparsed)."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    contents = page["/Contents"].get_object()
    parts = contents if isinstance(contents, list) else [contents]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(part.get_object().get_data() for part in parts))
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in page.mediabox)
    form[NameObject("/Resources")] = page["/Resources"].clone(writer)
    return writer._add_object(form.flate_encode())


def stamp_maps(
    document: bytes,
    slots: dict[str, tuple[int, float, float]],
    maps: dict[str, bytes],
    *,
    width: float,
) -> bytes:
    """Place one-page PDF ``maps[key]`` at ``slots[key]``, scaled to ``width`` points.

    Each map page becomes a Form XObject drawn once on its page: its paths and
    its embedded-font text stay vector and extractable, and its content is
    copied, not parsed (a print map holds tens of thousands of path points).
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    for i, (key, (page_number, x, y)) in enumerate(sorted(slots.items())):
        figure = PdfReader(io.BytesIO(maps[key])).pages[0]
        scale = width / float(figure.mediabox.width)
        name = NameObject(f"/CircleMapFigure{i}")
        page = writer.pages[page_number - 1]
        resources: Any = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[name] = _form_xobject(figure, writer)
        draw = DecodedStreamObject()
        draw.set_data(f"q {scale:.6f} 0 0 {scale:.6f} {x:.3f} {y:.3f} cm {name} Do Q".encode())
        contents: Any = page["/Contents"]
        old = list(contents.get_object()) if isinstance(contents.get_object(), list) else [contents]
        page[NameObject("/Contents")] = ArrayObject([*old, writer._add_object(draw)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
