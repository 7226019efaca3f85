"""Refresh the Leaflet plugins kept under ``third_party/npm/`` from the npm registry.

Usage::

    .venv/bin/python scripts/vendor_npm.py          # fetch, verify, unpack
    .venv/bin/python scripts/vendor_npm.py --check  # the committed files match the tarballs

Each plugin is pinned in :data:`circlemap.assets.NPM_PACKAGES` (name,
version, the registry's sha512 integrity, the files the app serves). This
script runs ``npm pack name@version`` (the ordinary npm client, no install,
no build), checks the tarball against the pinned integrity and copies the
listed files plus the licence and ``package.json`` into
``third_party/npm/<name>/``. The app never calls npm: at start-up
:func:`circlemap.assets.ensure_vendor_assets` copies the committed files into
``static/vendor/`` (served with their licences). Needs ``npm`` on PATH.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import subprocess
import tarfile
import tempfile
from pathlib import Path

from circlemap.assets import NPM_DIR, NPM_PACKAGES, NpmPackage


def _fetch(pkg: NpmPackage, work: Path) -> Path:
    out = subprocess.run(
        ["npm", "pack", f"{pkg.name}@{pkg.version}", "--silent"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = work / out.stdout.strip().splitlines()[-1]
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != pkg.integrity:
        msg = f"{pkg.name}@{pkg.version}: integrity {digest} != pinned {pkg.integrity}"
        raise SystemExit(msg)
    return tarball


def _members(pkg: NpmPackage) -> list[str]:
    return [*pkg.files, pkg.licence, "package.json"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for pkg in NPM_PACKAGES:
            tarball = _fetch(pkg, Path(tmp))
            with tarfile.open(tarball) as tar:
                for member in _members(pkg):
                    extracted = tar.extractfile(f"package/{member}")
                    if extracted is None:
                        raise SystemExit(f"{pkg.name}: {member} is not a file in the tarball")
                    data = extracted.read()
                    dest = NPM_DIR / pkg.name / member
                    if args.check:
                        if not dest.is_file() or dest.read_bytes() != data:
                            stale.append(str(dest.relative_to(NPM_DIR.parent.parent)))
                        continue
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(data)
    for path in stale:
        print(f"differs from the npm tarball: {path}")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
