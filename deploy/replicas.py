"""Several Streamlit replicas behind nginx: sticky sessions, WebSockets, health and readiness.

Where one process is not enough, the app runs as N ``streamlit run app.py``
processes on loopback ports behind Debian's ``nginx`` (config:
``deploy/nginx.conf.template``), which routes each browser to one replica
by a route cookie and forwards the WebSocket::

    .venv/bin/python -m deploy.replicas --replicas 2 --port 8640      # from the checkout

then open http://127.0.0.1:8640 (``--listen 0.0.0.0:8640`` for the intranet).
``/healthz`` is a replica's liveness; ``/readyz`` is readiness: 200 only
while ``python -m circlemap validate`` passes on the data the replicas
serve and every replica answers, else 503 with the reason. The launcher
checks again every ``--recheck`` seconds and reloads nginx when readiness
changes, so an edit that breaks the data takes the site out of a load
balancer's rotation (the app itself shows its error page meanwhile).

No Streamlit import: the app runs in child processes, started as
:mod:`devtools.devserver` starts it. Tests and ``benchmarks/load.py`` use
:func:`serve`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from circlemap import settings
from devtools import devserver

NGINX: Final = os.environ.get("CIRCLEMAP_NGINX", "/usr/sbin/nginx")
"""Debian's nginx (``apt-get install nginx``); ``CIRCLEMAP_NGINX`` overrides the path."""
TEMPLATE: Final = settings.ROOT / "deploy" / "nginx.conf.template"
REPLICA_OPTIONS: Final[dict[str, str]] = {"server.fileWatcherType": "none"}
"""Replicas do not watch files: a data edit is picked up by the content-hashed cache."""
VALIDATE_TIMEOUT_S: Final = 120.0


class DeploymentError(RuntimeError):
    """nginx or a replica did not start."""


@dataclass(frozen=True)
class Readiness:
    """Whether the deployment may take traffic, and why (one line)."""

    ready: bool
    reason: str

    def nginx_snippet(self) -> str:
        """The ``ready.conf`` nginx includes in ``location = /readyz``."""
        status = 200 if self.ready else 503
        text = ("ready: " if self.ready else "not ready: ") + self.reason
        quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
        return f'return {status} "{quoted}\\n";\n'


def check_data(env: Mapping[str, str] | None = None) -> Readiness:
    """Run ``python -m circlemap validate`` as the replicas would see the data."""
    result = subprocess.run(
        [sys.executable, "-m", "circlemap", "validate"],
        cwd=settings.ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=VALIDATE_TIMEOUT_S,
        check=False,
    )
    output = (result.stdout + result.stderr).strip().splitlines()
    last = output[-1] if output else f"exit code {result.returncode}"
    if result.returncode != 0:
        first = output[0] if output else last
        return Readiness(False, f"data does not validate: {first} ({last})")
    return Readiness(True, last)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=3) as resp:  # noqa: S310 (loopback)
            return bool(resp.status == 200)
    except OSError:
        return False


def check_ready(replica_urls: Sequence[str], env: Mapping[str, str] | None = None) -> Readiness:
    """Data validates and every replica's health endpoint answers."""
    data = check_data(env)
    if not data.ready:
        return data
    down = [u for u in replica_urls if not _answers(u)]
    if down:
        return Readiness(False, f"replica(s) not answering: {', '.join(down)}")
    return Readiness(True, f"{len(replica_urls)} replica(s); {data.reason}")


def nginx_config(*, listen: str, replica_ports: Sequence[int], run_dir: Path) -> str:
    """``deploy/nginx.conf.template`` filled in for these ports and this run directory."""
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in replica_ports
    )
    return TEMPLATE.read_text(encoding="utf-8").format(
        run_dir=run_dir, listen=listen, upstream_servers=servers
    )


@dataclass
class Deployment:
    """A running proxy and its replicas."""

    url: str
    replica_urls: list[str]
    replica_pids: list[int]
    nginx: subprocess.Popen[bytes]
    run_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    readiness: Readiness = Readiness(False, "not checked yet")

    def refresh(self) -> Readiness:
        """Check readiness again; rewrite ``ready.conf`` and reload nginx when it changed."""
        now = check_ready(self.replica_urls, self.env)
        if now != self.readiness:
            (self.run_dir / "ready.conf").write_text(now.nginx_snippet(), encoding="utf-8")
            if self.nginx.poll() is None:
                self.nginx.send_signal(signal.SIGHUP)  # nginx re-reads its config
            self.readiness = now
        return now


def _wait_for_proxy(url: str, proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            msg = f"nginx exited with code {proc.returncode}"
            raise DeploymentError(msg)
        try:
            urllib.request.urlopen(f"{url}/readyz", timeout=2).close()  # noqa: S310 (loopback)
        except urllib.error.HTTPError:
            return  # 503 is an answer: nginx is up
        except OSError:
            time.sleep(0.2)
        else:
            return
    msg = f"nginx did not answer at {url} within {timeout} s"
    raise DeploymentError(msg)


@contextlib.contextmanager
def serve(
    replicas: int,
    *,
    port: int | None = None,
    listen: str | None = None,
    replica_ports: Sequence[int] | None = None,
    log_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    options: Mapping[str, str] | None = None,
) -> Iterator[Deployment]:
    """Start ``replicas`` Streamlit processes and nginx in front; yield the deployment.

    Parameters
    ----------
    replicas : int
        How many ``streamlit run app.py`` processes (1 to 16).
    port : int, optional
        nginx's port on 127.0.0.1 (default: a free one); ``listen`` overrides
        the whole ``listen`` directive (e.g. ``"0.0.0.0:8640"``).
    replica_ports : sequence of int, optional
        Ports of the replicas on 127.0.0.1 (default: free ones).
    log_dir : Path, optional
        Where the replicas' and nginx's logs and nginx's config go (default:
        a temporary directory, removed afterwards).
    env, options : Mapping, optional
        Extra environment (e.g. ``CIRCLEMAP_DATA_DIR``) and Streamlit options
        for every replica; readiness validates with the same environment.
    """
    if not 1 <= replicas <= 16:
        msg = f"replicas must be 1..16, not {replicas}"
        raise ValueError(msg)
    if not Path(NGINX).is_file():
        msg = f"nginx not found at {NGINX}: install Debian's 'nginx'"
        raise DeploymentError(msg)
    ports = list(replica_ports or [devserver.free_port() for _ in range(replicas)])
    proxy_port = port or devserver.free_port()
    with contextlib.ExitStack() as stack:
        if log_dir is None:
            log_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="circlemap-")))
        run_dir = log_dir / "nginx"
        shutil.rmtree(run_dir, ignore_errors=True)
        run_dir.mkdir(parents=True)
        # Readiness first: a replica showing the error page still starts, but
        # nginx reports not-ready from its first answer.
        urls, pids = [], []
        for i, replica_port in enumerate(ports):
            url, proc = stack.enter_context(
                devserver.streamlit_server(
                    log=log_dir / f"replica-{i}.log",
                    watch_files=False,
                    port=replica_port,
                    env=env,
                    options={**REPLICA_OPTIONS, **(options or {})},
                )
            )
            urls.append(url)
            pids.append(proc.pid)
        readiness = check_ready(urls, env)
        (run_dir / "ready.conf").write_text(readiness.nginx_snippet(), encoding="utf-8")
        conf = run_dir / "nginx.conf"
        conf.write_text(
            nginx_config(
                listen=listen or f"127.0.0.1:{proxy_port}", replica_ports=ports, run_dir=run_dir
            ),
            encoding="utf-8",
        )
        with (log_dir / "nginx.out").open("wb") as out:
            nginx = subprocess.Popen(
                [NGINX, "-p", str(run_dir), "-c", str(conf), "-e", str(run_dir / "error.log")],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            url = f"http://127.0.0.1:{proxy_port}"
            _wait_for_proxy(url, nginx)
            yield Deployment(
                url=url,
                replica_urls=urls,
                replica_pids=pids,
                nginx=nginx,
                run_dir=run_dir,
                env=dict(env or {}),
                readiness=readiness,
            )
        finally:
            nginx.terminate()
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m deploy.replicas``: serve until interrupted; exit 1 if never ready."""
    parser = argparse.ArgumentParser(prog="python -m deploy.replicas", description=__doc__)
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit processes (1-16)")
    parser.add_argument("--port", type=int, default=8640, help="nginx port on 127.0.0.1")
    parser.add_argument("--listen", help="nginx listen address, e.g. 0.0.0.0:8640")
    parser.add_argument(
        "--replica-port", type=int, default=8641, help="first replica's port (then +1, +2, ...)"
    )
    parser.add_argument("--recheck", type=float, default=30.0, help="readiness every N seconds")
    parser.add_argument("--log-dir", type=Path, default=settings.ROOT / ".run")
    args = parser.parse_args(argv)
    # SIGTERM (systemd, docker stop) ends the replicas and nginx as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ports = [args.replica_port + i for i in range(args.replicas)]
    with serve(
        args.replicas,
        port=args.port,
        listen=args.listen,
        replica_ports=ports,
        log_dir=args.log_dir,
    ) as deployment:
        print(f"{deployment.url} -> {', '.join(deployment.replica_urls)}", flush=True)
        print(deployment.readiness.nginx_snippet().strip(), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while deployment.nginx.poll() is None:
                time.sleep(max(1.0, args.recheck))
                before = deployment.readiness
                now = deployment.refresh()
                if now != before:
                    print(now.nginx_snippet().strip(), flush=True)
        return 0 if deployment.readiness.ready else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
