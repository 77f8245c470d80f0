#!/usr/bin/env python3
"""Benchmark and load test of the site as deployed: gunicorn, DEBUG off, on loopback.

    scripts/bench.py bench   # `make bench`: requests/s, p99, CPU ms/request, worker memory
    scripts/bench.py load    # `make load`: 64 connections for 30 s, then bad requests

Each run serves a fresh copy of the site: a temporary SQLite database loaded from content/,
collected static files and a file page cache in a temporary folder, gunicorn with 2 sync
workers and no access log. wrk (Debian's package) makes the requests. The results replace
the marked sections of docs/benchmarks.md and are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DOC = ROOT / "docs" / "benchmarks.md"
ARTICLE = "/learn/how-ketamine-works/"
STATIC_COPY = "bench/article-sized.html"  # written into STATIC_ROOT: the static ceiling
CLK_TCK = os.sysconf("SC_CLK_TCK")
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


# --- The server ---------------------------------------------------------------------------


class Site:
    """A fresh copy of the site served by gunicorn on 127.0.0.1:port, for one run."""

    def __init__(self, port: int, **env):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.tmp = Path(tempfile.mkdtemp(prefix="ketamine-bench-"))
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DEPLOYMENT", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL"}
        }
        self.env.update(
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=f"sqlite:///{self.tmp / 'db.sqlite3'}",
            CACHE_DIR=str(self.tmp / "cache"),
            STATIC_ROOT=str(self.tmp / "static"),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=self.base,
            LOG_LEVEL="WARNING",
            **env,
        )
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def prepare(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("load_content", "--publish")  # as the operator does (make run)
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        # A static file as large as the article page, so whitenoise's ceiling is comparable: the
        # article's own bytes, with a gzipped copy beside it as collectstatic makes for every
        # static file (Varnish, in front, asks for gzip and stores what it gets).
        copy = Path(self.env["STATIC_ROOT"]) / STATIC_COPY
        copy.parent.mkdir(parents=True, exist_ok=True)
        self.manage(
            "shell",
            "--no-imports",
            "-c",
            "import gzip, pathlib; from django.test import Client;"
            f"body = Client(HTTP_HOST='127.0.0.1').get('{ARTICLE}').content;"
            f"pathlib.Path('{copy}').write_bytes(body);"
            f"pathlib.Path('{copy}.gz').write_bytes(gzip.compress(body))",
        )

    def start(self, workers: int = 2) -> None:
        if port_in_use(self.port):
            sys.exit(f"Port {self.port} is taken; choose another with BENCH_PORT.")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "ketamine_info.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--error-logfile",
                str(self.tmp / "gunicorn.log"),
            ],
            cwd=ROOT,
            env=self.env,
            stderr=open(self.tmp / "stderr.log", "a"),  # noqa: SIM115 (the server's, until it stops)
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/robots.txt", timeout=1).read()
                if len(self.workers()) == workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        log = (self.tmp / "gunicorn.log").read_text()[-3000:]
        sys.exit(f"gunicorn did not start:\n{log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def workers(self) -> list[int]:
        assert self.process
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def cpu_ticks(self) -> int:
        """User and system CPU time of gunicorn, master and workers, in clock ticks."""
        total = 0
        for pid in [self.process.pid, *self.workers()]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total

    def worker_rss_mb(self) -> float:
        sizes = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
        return max(sizes)

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return response.read()

    def static_url(self, name: str) -> str:
        html = self.get("/").decode()
        stem, _, ext = name.rpartition(".")
        return re.search(rf'"(/static/{re.escape(stem)}\.[0-9a-f]{{12}}\.{ext})"', html).group(1)


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


# --- wrk ----------------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    path: str
    size: int
    requests: int
    seconds: float
    p99_ms: float
    errors: int
    cpu_ms: float
    rss_mb: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def wrk(
    url: str,
    *,
    threads: int,
    connections: int,
    seconds: int,
    script: Path | None = None,
    timeout: int = 2,
    headers: tuple[str, ...] = (),
):
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    args += ["--timeout", f"{timeout}s"]
    for header in headers:
        args += ["-H", header]
    if script:
        args += ["-s", str(script)]
    out = subprocess.run([*args, url], check=True, capture_output=True, text=True).stdout
    requests, took, took_unit = re.search(r"(\d+) requests in ([\d.]+)(\w+),", out).groups()
    seconds_taken = float(took) * UNIT_MS[took_unit] / 1000
    value, unit = re.search(r"99%\s+([\d.]+)(\w+)", out).groups()
    p99_ms = float(value) * UNIT_MS[unit]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return int(requests), seconds_taken, p99_ms, errors, out


def measure(
    site: Site, label: str, path: str, seconds: int, headers=(), warm_up: bool = True
) -> Result:
    url = site.base + path
    size = len(site.get(path))
    if warm_up:  # caches, connections, imports
        wrk(url, threads=2, connections=16, seconds=2, headers=headers)
    before = site.cpu_ticks()
    requests, took, p99, errors, _ = wrk(
        url, threads=2, connections=16, seconds=seconds, headers=headers
    )
    cpu_ms = (site.cpu_ticks() - before) * 1000 / CLK_TCK / requests
    return Result(label, path, size, requests, took, p99, errors, cpu_ms, site.worker_rss_mb())


def measure_in_turn(
    site: Site,
    reference: tuple[str, str],
    rows: list[tuple[str, str]],
    seconds: int,
    headers: tuple[str, ...] = (),
) -> tuple[list[Result], dict[str, float]]:
    """Each row measured right after the reference row (the static file of its size), ROUNDS
    times; its share of the reference is the median of the rounds' shares.

    On a machine shared with other work, the neighbours' load moves from one minute to the
    next: single runs of the same code put the cached article between 78% and 112% of the
    static file, and rows measured a minute apart compare two different machines. A row and
    the reference measured back to back share the same few seconds. Returns the reference and
    each row (the round with the median requests/s) and each row's share."""
    reference_label, reference_path = reference
    measured: dict[str, list[Result]] = {label: [] for label, _ in [reference, *rows]}
    shares: dict[str, list[float]] = {label: [] for label, _ in rows}
    for n in range(ROUNDS):
        for label, path in rows:
            before = measure(
                site, reference_label, reference_path, seconds, headers, warm_up=n == 0
            )
            result = measure(site, label, path, seconds, headers, warm_up=n == 0)
            measured[reference_label].append(before)
            measured[label].append(result)
            shares[label].append(result.rps / before.rps)
    kept = []
    for label, results in measured.items():
        ranked = sorted(results, key=lambda r: r.rps)
        median = ranked[len(ranked) // 2]
        median.errors = sum(r.errors for r in ranked)  # an error in any round counts
        kept.append(median)
        line = f"  {label}: {median.rps:,.0f} requests/s"
        if label in shares:
            line += (
                " (shares of the static file: "
                + ", ".join(f"{share:.3f}" for share in shares[label])
                + ")"
            )
        print(line, file=sys.stderr)
    return kept, {label: sorted(values)[len(values) // 2] for label, values in shares.items()}


# --- Through the reverse proxy (Varnish, deploy/varnish/ketamine.vcl) -----------------------

PROXY_ARTICLE = "article through the proxy cache"
PROXY_STATIC = "static file, article-sized, through the proxy cache"
GZIP = ("Accept-Encoding: gzip",)


def measure_proxy(site: Site, seconds: int) -> tuple[list[Result], dict[str, float]]:
    """The article and the same-size static file from Varnish's cache, in front of this
    gunicorn, measured in turn as the rows on gunicorn are; skipped (no rows) where Varnish is
    not installed."""
    sys.path.insert(0, str(ROOT))
    from scripts.varnish import Varnish, varnishd

    if varnishd() is None:
        print(
            "  varnish is not installed: no proxy rows (apt-get install varnish)", file=sys.stderr
        )
        return [], {}
    offline = site.tmp / "503.html"
    site.manage("write_offline_page", str(offline))
    proxy = Varnish(site.port + 1, [site.port], offline, memory="256m")
    proxy.start()
    try:
        base = site.base
        site.base = f"http://127.0.0.1:{proxy.port}"  # wrk and the warm-up go through the proxy
        # As browsers ask: Varnish then sends the gzipped bytes it stores, for both alike.
        return measure_in_turn(
            site,
            (PROXY_STATIC, "/static/" + STATIC_COPY),
            [(PROXY_ARTICLE, ARTICLE)],
            max(1, seconds // ROUNDS),
            headers=GZIP,
        )
    finally:
        site.base = base
        proxy.stop()


def proxy_summary(by_label: dict, shares: dict) -> str:
    if PROXY_ARTICLE not in by_label:
        return "(No proxy rows: Varnish was not installed.)"
    proxied = shares[PROXY_ARTICLE]
    direct = by_label[PROXY_ARTICLE].rps / by_label["article"].rps
    return (
        f"Through Varnish: the article at **{proxied:.0%}** of the same-size static file from "
        f"the same proxy cache (aim: 90% or more), and {direct:.1f}x the article from "
        "gunicorn's page cache. The "
        "proxy rows ask for gzip, as browsers do (the bytes column is the uncompressed size); "
        "their CPU column is gunicorn's (close to nothing: the proxy answers)."
    )


def machine() -> str:
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    versions = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import django, gunicorn; print(django.get_version(), gunicorn.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return (
        f"{cpu.group(1) if cpu else platform.processor()}, {os.cpu_count()} cores, "
        f"{int(memory.group(1)) // 1024 // 1024} GiB; Linux {platform.release()}; "
        f"Python {platform.python_version()}, Django {versions[0]}, gunicorn {versions[1]} "
        f"(2 sync workers, no access log), "
        f"wrk {wrk_version.split()[1] if wrk_version else ''} on the same machine"
    )


def replace_section(name: str, body: str) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = DOC.read_text() if DOC.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    if start not in text:
        text += f"\n{start}\n{end}\n"
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    DOC.write_text(f"{before}{start}\n{body.strip()}\n{end}{after}")


# --- make bench ---------------------------------------------------------------------------

STATIC_BESIDE_MISSES = "static file, article-sized, beside the page-cache-off rows"
# Rows served with the page cache off; the search has a query string of its own.
MISSES = [
    (STATIC_BESIDE_MISSES, "/static/" + STATIC_COPY),
    ("article, page cache off", ARTICLE),
    ("FAQ, page cache off", "/faq/"),
    ("search, page cache off", "/search/?q=nausea"),
]
# What a page built from the database should manage, as a share of the static file's
# requests/s. With the proxy in front, a page is built once per publish.
MISS_AIMS = {
    "article, page cache off": 0.07,
    "FAQ, page cache off": 0.05,
    "search, page cache off": 0.20,
}


# Compared rows are measured in turn this many times (measure_in_turn), for a third as long.
ROUNDS = 3


def bench(port: int, seconds: int) -> int:
    results: list[Result] = []
    site = Site(port)
    round_seconds = max(1, seconds // ROUNDS)
    try:
        site.prepare()
        site.start()
        pages = [
            ("home", "/"),
            ("FAQ", "/faq/"),
            ("sources", "/sources/"),
            ("static file, the stylesheet", site.static_url("css/site.css")),
        ]
        for label, path in pages:
            results.append(measure(site, label, path, seconds))
            print(f"  {label}: {results[-1].rps:,.0f} requests/s", file=sys.stderr)
        rows, shares = measure_in_turn(
            site,
            ("static file, article-sized", "/static/" + STATIC_COPY),
            [("article", ARTICLE)],
            round_seconds,
        )
        results += rows
        rows, proxy_shares = measure_proxy(site, seconds)
        results += rows
        shares.update(proxy_shares)
        bench_search(site)
        site.stop()
        # Pages built on every request: what the page cache saves, and what every first visit
        # after an edit (and every search) costs. The static file again, in turn with them.
        site.env["PAGE_CACHE_SECONDS"] = "0"
        site.start()
        rows, miss_shares = measure_in_turn(site, MISSES[0], MISSES[1:], round_seconds)
        results += rows
        shares.update(miss_shares)
    finally:
        site.cleanup()

    by_label = {r.label: r for r in results}
    ratio = shares["article"]
    miss_ratios = [
        f"- {label}: **{shares[label]:.3f}x** the static file (aim: {aim:.2f}x or more)"
        for label, aim in MISS_AIMS.items()
    ]
    proxy_ratio = proxy_summary(by_label, shares)
    table = [
        "| page | bytes | requests/s | p99 latency | CPU ms/request | worker RSS | errors |",
        "|---|--:|--:|--:|--:|--:|--:|",
        *(
            f"| {r.label} (`{r.path}`) | {r.size:,} | {r.rps:,.0f} | {r.p99_ms:.1f} ms | "
            f"{r.cpu_ms:.2f} | {r.rss_mb:.0f} MB | {r.errors} |"
            for r in results
        ),
    ]
    body = "\n".join(
        [
            f"Measured {dt.date.today():%Y-%m-%d} by `make bench` on {machine()}.",
            f"wrk -t2 -c16 -d{seconds}s --latency per row, after a 2 s warm-up. The rows compared "
            f"with the static file are measured instead right after it, {ROUNDS} times "
            f"{round_seconds} s each: the table shows the round with the median requests/s, "
            "and a share is the median of the rounds' shares.",
            "",
            *table,
            "",
            f"Article page: **{ratio:.0%}** of the article-sized static file's throughput.",
            proxy_ratio,
            "",
            "Built on every request (page cache off), each as a share of the article-sized "
            "static file measured right before it:",
            "",
            *miss_ratios,
        ]
    )
    replace_section("bench", body)
    print(body)
    return 0 if all(r.errors == 0 for r in results) else 1


# --- Site search (issue 15) ---------------------------------------------------------------

# Patient queries of each kind: plain, synonym, misspelling (spelling correction), question.
SEARCH_QUERIES = ["nausea", "k hole", "spravatto", "nausia", "how many treatments", "ketamine"]


def bench_search(site: Site, rounds: int = 20) -> float:
    """Median time of a search page built from the database, in ms: each request has a query
    string of its own, so the page cache never answers. Writes the "search" section."""
    times = []
    for n in range(rounds):
        for query in SEARCH_QUERIES:
            path = "/search/?" + urllib.parse.urlencode({"q": query, "bench": n})
            started = time.perf_counter()
            site.get(path)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    median = times[len(times) // 2]
    body = (
        f"Measured {dt.date.today():%Y-%m-%d} on {machine()}: median **{median:.1f} ms** for a "
        f"search results page built from the database (one request at a time, {len(times)} "
        f"requests over: {', '.join(SEARCH_QUERIES)}; p90 {times[len(times) * 9 // 10]:.1f} ms)."
    )
    replace_section("search", body)
    print(body)
    return median


# --- make load ----------------------------------------------------------------------------

LOAD_SCRIPT = """
-- The site's pages in turn; one request in 20 has a query string of its own, which no page
-- reads: it is dropped, and the page comes from the cache all the same.
local paths = {%(paths)s}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n = 0
function request()
  n = n + 1
  local path = paths[(n %% #paths) + 1]
  if n %% 20 == 0 then
    path = path .. "?load=" .. id .. "-" .. n
  end
  return wrk.format("GET", path)
end
"""


def raw_request(site: Site, request: bytes) -> int:
    with socket.create_connection(("127.0.0.1", site.port), timeout=10) as s:
        s.sendall(request)
        reply = b""
        while b"\r\n" not in reply:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
    return int(reply.split()[1])


def request(site: Site, method: str, path: str, **headers) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def bad_requests(site: Site) -> list[tuple[str, str, str, bool]]:
    """(what, expected, got, ok) for each kind of bad input, against the real server."""
    checks = []

    def check(what, expected, got, ok):
        checks.append((what, expected, str(got), ok))

    status = raw_request(
        site, b"GET /faq/?q=" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    check("20 KB query string", "400 or 414", status, status in (400, 414))
    status = request(site, "GET", "/faq/?q=" + "a" * 3000).status
    check("3 KB query string", "414", status, status == 414)
    status = raw_request(site, b"GET /\xff\xfe/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    check("invalid UTF-8 bytes in the path", "400 or 404", status, status in (400, 404))
    status = request(site, "GET", "/learn/%C3%28/").status
    check("invalid UTF-8, percent-encoded", "404", status, status == 404)
    head = request(site, "HEAD", ARTICLE)
    check(
        "HEAD of an article",
        "200, no body",
        f"{head.status}, {len(head.body)} bytes",
        head.status == 200 and not head.body,
    )
    options = request(site, "OPTIONS", "/faq/")
    check(
        "OPTIONS",
        "200 with Allow",
        f"{options.status}, Allow: {options.getheader('Allow')}",
        options.status == 200 and "GET" in (options.getheader("Allow") or ""),
    )
    for method in ("POST", "PUT", "DELETE"):
        status = request(site, method, ARTICLE).status
        check(f"{method} to an article", "405", status, status == 405)
    status = request(site, "GET", ARTICLE, Host="evil.example.com").status
    check("Host not in ALLOWED_HOSTS (page cached)", "400", status, status == 400)
    return checks


BYPASS_SCRIPT = """
-- Every request tries to get past the page cache: a random session key and CSRF token as
-- cookies, and a random campaign query string. Only a valid staff session may skip the cache,
-- and a page drops the query parameters it does not read, so all of these are cache hits.
local paths = {%(paths)s}
local chars = "abcdefghijklmnopqrstuvwxyz0123456789"
local function junk(n)
  local out = {}
  for i = 1, n do
    local k = math.random(#chars)
    out[i] = chars:sub(k, k)
  end
  return table.concat(out)
end
local n = 0
function request()
  n = n + 1
  local path = paths[(n %% #paths) + 1] .. "?utm_source=" .. junk(12) .. "&ref=" .. junk(6)
  local cookie = "sessionid=" .. junk(32) .. "; csrftoken=" .. junk(32) .. "; _ga=" .. junk(10)
  return wrk.format("GET", path, {["Cookie"] = cookie})
end
"""


def redis_server(port: int, folder: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if port_in_use(port):
            return process
        time.sleep(0.05)
    sys.exit("redis-server did not start")


def load_with_redis_stop(port: int, seconds: int, connections: int, paths_of) -> dict:
    """The same load against a site whose cache is Redis; Redis is stopped a third of the way
    in and started again at two thirds. Errors must stay at 0 (pages come from the database)."""
    redis_port = port + 2
    folder = Path(tempfile.mkdtemp(prefix="ketamine-bench-redis-"))
    redis = redis_server(redis_port, folder)
    site = Site(port, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
    out: dict = {}
    try:
        site.prepare()
        site.start()
        paths = paths_of(site)
        for path in paths:
            site.get(path)
        script = site.tmp / "load.lua"
        script.write_text(LOAD_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})

        def stop_and_start():
            time.sleep(seconds / 3)
            redis.terminate()
            redis.wait(timeout=10)
            out["stopped"] = time.monotonic()
            time.sleep(seconds / 3)
            out["restarted"] = redis_server(redis_port, folder)

        thread = threading.Thread(target=stop_and_start)
        thread.start()
        # Pages are built from the database while Redis is down, far more slowly: a request
        # may queue for longer than wrk's default 2 s, which is slow, not an error.
        requests, took, p99, errors, _ = wrk(
            site.base, threads=2, connections=connections, seconds=seconds, script=script,
            timeout=15,
        )  # fmt: skip
        thread.join()
        log = (site.tmp / "gunicorn.log").read_text() + (site.tmp / "stderr.log").read_text()
        out.update(
            requests=requests,
            rps=requests / took,
            p99=p99,
            errors=errors,
            tracebacks=log.count("Traceback"),
            warnings=log.count("Cache unavailable") + log.count("Cache available again"),
        )
        return out
    finally:
        site.cleanup()
        for process in (redis, out.get("restarted")):
            if process and process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def load_paths(site: Site) -> list[str]:
    paths = ["/", ARTICLE, "/faq/", "/glossary/", "/sources/", "/sources/berman-2000/"]
    return [*paths, site.static_url("css/site.css")]


def load(port: int, seconds: int, connections: int) -> int:
    site = Site(port)
    try:
        site.prepare()
        site.start()
        paths = load_paths(site)
        for path in paths:
            site.get(path)  # each is there, and cached
        script = site.tmp / "load.lua"
        script.write_text(LOAD_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})
        requests, took, p99, errors, _ = wrk(
            site.base, threads=2, connections=connections, seconds=seconds, script=script
        )
        bypass = site.tmp / "bypass.lua"
        bypass.write_text(BYPASS_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths[:-1])})
        b_requests, b_took, b_p99, b_errors, _ = wrk(
            site.base, threads=2, connections=connections, seconds=seconds // 2, script=bypass
        )
        cached_files = sum(1 for _ in (site.tmp / "cache" / "pages").glob("*.djcache"))
        log = (site.tmp / "gunicorn.log").read_text()
        tracebacks = log.count("Traceback")
        checks = bad_requests(site)
    finally:
        site.cleanup()
    outage = load_with_redis_stop(port, seconds * 2 // 3, connections, load_paths)

    rate, b_rate = requests / took, b_requests / b_took
    bypass_ok = b_errors == 0 and b_rate >= rate / 2
    outage_ok = outage["errors"] == 0 and outage["tracebacks"] == 0
    lines = [
        f"Measured {dt.date.today():%Y-%m-%d} by `make load` on {machine()}.",
        f"wrk -t2 -c{connections} -d{seconds}s over {len(paths)} pages in turn (the site's page "
        "types and the stylesheet); one request in 20 has a fresh query string (dropped: no page "
        "reads it).",
        "",
        "| requests | requests/s | p99 latency | errors (socket, non-2xx/3xx) | tracebacks |",
        "|--:|--:|--:|--:|--:|",
        f"| {requests:,} | {rate:,.0f} | {p99:.1f} ms | {errors} | {tracebacks} |",
        "",
        f"Cache bypass attempts, {seconds // 2} s on the same server: every request carries a "
        "random 32-character `sessionid`, a random `csrftoken` and a random `utm_source` query "
        "string (the stylesheet left out).",
        "",
        "| requests | requests/s | vs. the run above | p99 latency | errors | pages cached |",
        "|--:|--:|--:|--:|--:|--:|",
        f"| {b_requests:,} | {b_rate:,.0f} | {b_rate / rate:.0%} | {b_p99:.1f} ms | {b_errors} "
        f"| {cached_files} |",
        "",
        f"Redis stopped during load: a fresh server with `REDIS_URL`, the same load for "
        f"{seconds * 2 // 3} s; Redis stopped after a third and started again after two thirds.",
        "",
        "| requests | requests/s | p99 latency | errors | tracebacks | outage log lines |",
        "|--:|--:|--:|--:|--:|--:|",
        f"| {outage['requests']:,} | {outage['rps']:,.0f} | {outage['p99']:.1f} ms "
        f"| {outage['errors']} | {outage['tracebacks']} | {outage['warnings']} |",
        "",
        "Bad requests against the same gunicorn:",
        "",
        "| request | expected | got | |",
        "|---|---|---|---|",
        *(
            f"| {what} | {expected} | {got} | {'ok' if ok else 'WRONG'} |"
            for what, expected, got, ok in checks
        ),
    ]
    body = "\n".join(lines)
    replace_section("load", body)
    print(body)
    ok = errors == 0 and tracebacks == 0 and all(c[3] for c in checks)
    return 0 if ok and bypass_ok and outage_ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["bench", "load"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8100")))
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: make wrk (apt-get install wrk)")
    if args.what == "bench":
        return bench(args.port, args.seconds or 10)
    return load(args.port, args.seconds or 30, args.connections)


if __name__ == "__main__":
    sys.exit(main())
