"""Derive the pinyin search keys of every searchable name (``data/search_pinyin.json``).

Usage::

    .venv/bin/python scripts/build_search_pinyin.py          # write the file
    .venv/bin/python scripts/build_search_pinyin.py --check  # exit 1 if it is stale

For each zh name of a feature, circle city, county and measure title
(:func:`circlemap.search.searchable_names`) the file holds the toneless
pinyin, whole and as initials (``经十路东延`` -> ``jingshiludongyan``,
``jsldy``). pypinyin (MIT, pinned in requirements-dev.txt) is needed here
only; the app reads the file. Rerun after editing names.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypinyin import Style, lazy_pinyin  # noqa: E402

from circlemap import settings  # noqa: E402
from circlemap.catalog import load_catalog  # noqa: E402
from circlemap.search import PINYIN_FILE, searchable_names  # noqa: E402


def build() -> str:
    """The file's text: sorted, one name per line."""
    names = sorted({zh for _, _, zh, _, _ in searchable_names(load_catalog())})
    pinyin = {
        zh: ["".join(lazy_pinyin(zh)), "".join(lazy_pinyin(zh, style=Style.FIRST_LETTER))]
        for zh in names
    }
    doc = {
        "_comment": "Derived by scripts/build_search_pinyin.py from the names; do not edit.",
        "pinyin": pinyin,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    path = settings.DATA_DIR / PINYIN_FILE
    text = build()
    if args.check:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            print(f"{path} is stale: run scripts/build_search_pinyin.py")
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
