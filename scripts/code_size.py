"""Size of the rooms: the longest modules and functions of a package.

Usage: ``python scripts/code_size.py [PACKAGE_DIR] [--most N]`` (default
``circlemap``, 5 rows each). Lines of a module are its physical lines; lines of
a function run from its ``def`` (decorators included) to its last line, so a
docstring counts. Flags what passes the house limits (``MODULE_LIMIT``,
``FUNCTION_LIMIT`` lines), and exits 0 whatever it finds: it measures, it does
not judge.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path
from typing import Final

MODULE_LIMIT: Final = 600
FUNCTION_LIMIT: Final = 80


def function_lengths(path: Path) -> list[tuple[int, str]]:
    """(lines, ``file:line qualified.name``) of every function and method in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                end = child.end_lineno or child.lineno
                found.append((end - start + 1, f"{path}:{start} {prefix}{child.name}"))
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return found


def main() -> int:
    """Print the longest modules and functions of the package."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", default="circlemap", type=Path)
    parser.add_argument("--most", type=int, default=5, help="rows per table (default 5)")
    args = parser.parse_args()
    files = sorted(args.package.rglob("*.py"))
    modules = sorted(
        ((len(f.read_text(encoding="utf-8").splitlines()), str(f)) for f in files), reverse=True
    )
    functions = sorted((row for f in files for row in function_lengths(f)), reverse=True)
    over_modules = sum(1 for n, _ in modules if n > MODULE_LIMIT)
    over_functions = sum(1 for n, _ in functions if n > FUNCTION_LIMIT)
    print(f"{len(files)} modules, {len(functions)} functions in {args.package}")
    print(f"modules over {MODULE_LIMIT} lines: {over_modules}; largest:")
    for n, name in modules[: args.most]:
        print(f"  {n:5d}  {name}")
    print(f"functions over {FUNCTION_LIMIT} lines: {over_functions}; longest:")
    for n, name in functions[: args.most]:
        print(f"  {n:5d}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
