"""Runs Debian's varnishd on loopback with deploy/varnish/ketamine.vcl in front of app servers,
for the two-server test (tests/edge/) and `make bench`. The deployment's part (site.vcl) is
written into a temporary folder: these app servers, a fast health probe, loopback purgers.

varnishd drops to its own user before it reads the VCL: every file it reads is copied into a
temporary folder it may read, never read from the checkout, which may be in a folder only its
owner can open (a home directory, `mktemp -d`)."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "ketamine.vcl"

SITE_VCL = """
probe healthz {
    .url = "/healthz";
    .interval = 0.5s;
    # Generous: a busy machine's app server may take a while to answer.
    .timeout = 2s;
    .window = 2;
    .threshold = 1;
    .initial = 1;
}
%(backends)s
sub vcl_init {
    new app = directors.round_robin();
%(adds)s
}
acl purgers { "127.0.0.1"; }
sub offline_page {
    synthetic(std.fileread("%(offline)s"));
}
"""


def varnishd() -> str | None:
    return shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )


class Varnish:
    def __init__(
        self,
        port: int,
        backends: list[int],
        offline_page: Path,
        memory: str = "64m",
        purge_port: int | None = None,
        site_vcl: str | None = None,
        admin_port: int | None = None,
    ):
        """``site_vcl``: the deployment's part as given (the production test's edited copy of
        site.example.vcl) instead of one written here for ``backends``. ``admin_port``: a
        management listener on loopback, for varnishadm (none by default)."""
        self.port = port
        # BAN is accepted only on this listener (ketamine.vcl): the app servers' PURGE_URLS.
        self.purge_port = purge_port
        self.folder = Path(tempfile.mkdtemp(prefix="ketamine-varnish-"))
        self.folder.chmod(0o755)
        # varnishd reads them as its own unprivileged user: copies in this folder, readable.
        self.vcl = self.folder / VCL.name
        shutil.copyfile(VCL, self.vcl)
        page = self.folder / "503.html"
        shutil.copyfile(offline_page, page)
        for copy in (self.vcl, page):
            copy.chmod(0o644)
        names = [f"app{i}" for i in range(len(backends))]
        (self.folder / "site.vcl").write_text(
            site_vcl.replace("/var/lib/varnish/ketamine-503.html", str(page))
            if site_vcl
            else SITE_VCL
            % {
                "backends": "\n".join(
                    f'backend {name} {{ .host = "127.0.0.1"; .port = "{port}"; .probe = healthz; }}'
                    for name, port in zip(names, backends, strict=True)
                ),
                "adds": "\n".join(f"    app.add_backend({name});" for name in names),
                "offline": page,
            }
        )
        (self.folder / "site.vcl").chmod(0o644)
        self.memory = memory
        self.admin_port = admin_port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                varnishd(),
                "-F",
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(self.vcl),
                "-p",
                f"vcl_path={self.folder}",
                "-n",
                str(self.folder / "work"),
                "-s",
                f"malloc,{self.memory}",
                "-T",
                f"127.0.0.1:{self.admin_port}" if self.admin_port else "none",
                *(["-a", f"purge=127.0.0.1:{self.purge_port}"] if self.purge_port else []),
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "varnishd.log", "w"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("varnishd stopped:\n" + self.log())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("varnishd did not start:\n" + self.log())

    def admin(self, *command: str) -> str:
        """A varnishadm command (needs ``admin_port``), e.g. ``admin("backend.list")``."""
        return subprocess.run(
            ["varnishadm", "-n", str(self.folder / "work"), *command],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout  # fmt: skip

    def log(self) -> str:
        return (self.folder / "varnishd.log").read_text()[-3000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
