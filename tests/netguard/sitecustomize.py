"""Record every outside network attempt of a Python process (for tests only).

Put this directory on ``PYTHONPATH`` and name a file in
``CIRCLEMAP_NETGUARD_LOG``: Python imports this module at start-up and an
audit hook then appends one line per ``socket.connect``, ``socket.sendto``
or ``socket.getaddrinfo`` whose address is not loopback (nor a Unix
socket). The first line, ``started <pid>``, proves the hook ran in that
process. The connection itself is left alone; the test reads the log.
"""

from __future__ import annotations

import ipaddress
import os
import sys

_LOG = os.environ.get("CIRCLEMAP_NETGUARD_LOG")
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", ""})


def _is_local(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if host is None:
        return True
    text = str(host).split("%", 1)[0]
    if text.lower() in _LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False  # a host name other than localhost: a DNS lookup goes outside
    return address.is_loopback or address.is_unspecified


def _write(line: str) -> None:
    with open(_LOG, "a", encoding="utf-8") as out:  # type: ignore[arg-type]  # noqa: PTH123
        out.write(line + "\n")


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event in ("socket.connect", "socket.sendto"):
        address = args[1]
        if isinstance(address, tuple) and address and not _is_local(address[0]):
            _write(f"{event} {address!r}")
    elif event == "socket.getaddrinfo" and not _is_local(args[0]):
        _write(f"{event} {args[0]!r}:{args[1]!r}")


if _LOG:
    _write(f"started {os.getpid()}")
    sys.addaudithook(_hook)
