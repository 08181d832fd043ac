"""Load test on loopback: 50 signed-in users browse PeerMentor on SQLite and on PostgreSQL.

Run as ``python bench/bench_load.py [--seconds 300] [--users 50] [--database both]
[--dataset consortium] [--think 2.0] [--workers 4] [--keep]``. For each database it makes a fresh
database (a temporary SQLite file; a PostgreSQL database ``peermentor_bench_<pid>`` through
``BENCH_POSTGRES_URL``, default ``postgres://postgres@127.0.0.1:5432/postgres``), migrates it,
loads the demo (and ``peermentor demo --scale consortium`` with ``--dataset consortium``),
starts ``peermentor serve --no-worker``, signs every simulated user in through the login form,
then lets them browse for ``--seconds``: members (home, group page, meetings, goals), directors
(program page, dashboards, figures) and evaluators (survey answers, workbench) in the mix
70/15/15, each pausing ``--think`` seconds on average between pages (a person reads a page).

Prints per database: requests, errors (any 5xx or connection error), "database is locked" lines
in the server log, p50/p95/p99 latency and throughput. Exits non-zero when a run had errors or
locks. Only the standard library drives the load (threads and http.client).
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEMO_PASSWORD = "peermentor-demo"  # noqa: S105 - the published demo password

# Which pages each kind of person visits (paths found by following links from their home page).
PAGES = {
    "member": [
        r"/",
        r"/groups/\d+/",
        r"/groups/\d+/meetings/",
        r"/groups/\d+/goals/",
        r"/groups/\d+/resources/",
        r"/groups/\d+/dashboard/",
        r"/meetings/\d+/",
        r"/goals/",
        r"/goals/\d+/",
        r"/works/",
        r"/surveys/",
    ],
    "director": [
        r"/",
        r"/programs/[\w-]+/",
        r"/programs/[\w-]+/figures/",
        r"/programs/[\w-]+/productivity/",
        r"/programs/[\w-]+/surveys/",
        r"/programs/[\w-]+/reports/",
        r"/groups/\d+/",
        r"/groups/\d+/dashboard/",
    ],
    "evaluator": [
        r"/",
        r"/programs/[\w-]+/",
        r"/programs/[\w-]+/surveys/",
        r"/programs/[\w-]+/figures/",
        r"/surveys/waves/\d+/",
        r"/surveys/waves/\d+/answers/",
        r"/programs/[\w-]+/workbench/",
        r"/programs/[\w-]+/workbench/coding/",
    ],
}
MIX = (("member", 0.70), ("director", 0.15), ("evaluator", 0.15))
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
LINK = re.compile(r'href="(/[^"#?]*)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SignInLimited(Exception):
    """The server refused a sign-in for now (too many from one address)."""


class Session:
    """One signed-in person: a cookie jar and a keep-alive connection to the server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException):
            # No retry: a connection the server drops (a worker killed after its timeout) is
            # an error of the run, not something to hide.
            self.conn.close()
            self.conn = None
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.headers.get("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, dict(response.headers.items()), text

    def sign_in(self, email: str) -> None:
        """Sign in through the form; waits out the per-address sign-in limit (HTTP 429)."""
        for _ in range(30):
            try:
                self._sign_in(email)
                return
            except SignInLimited:
                time.sleep(5)
        raise RuntimeError(f"{email} could not sign in: rate limited for too long")

    def _sign_in(self, email: str) -> None:
        _, _, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            {
                "login": email,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
        )
        if status == 429:
            raise SignInLimited(email)
        if status != 302:
            raise RuntimeError(f"{email} could not sign in (status {status})")


def discover(port: int, email: str, role: str, limit: int = 25) -> list[str]:
    """Pages of the role's kinds reachable from the person's home page (breadth first)."""
    patterns = [re.compile(p + "$") for p in PAGES[role]]
    session = Session(port)
    session.sign_in(email)
    seen, queue, found = {"/"}, ["/"], ["/"]
    while queue and len(found) < limit:
        path = queue.pop(0)
        started = time.perf_counter()
        try:
            status, _, page = session.request("GET", path)
        except (OSError, http.client.HTTPException) as error:
            print(f"    discovery: {path} failed ({type(error).__name__})", flush=True)
            session.conn = None
            continue
        took = time.perf_counter() - started
        if took > 2:
            print(f"    discovery: {path} took {took:.1f} s (status {status})", flush=True)
        if status != 200:
            continue
        for link in LINK.findall(page):
            link = html.unescape(link)
            if link in seen or not any(p.match(link) for p in patterns):
                continue
            seen.add(link)
            found.append(link)
            queue.append(link)
    return found


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    lock = threading.Lock()

    def record(self, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if problem:
                self.errors[problem] += 1


def simulate(
    port: int,
    cookies: dict[str, str],
    pages: list[str],
    until: float,
    think: float,
    results: Results,
    seed: int,
) -> None:
    rng = random.Random(seed)
    session = Session(port)
    session.cookies = dict(cookies)  # signed in before the clock started
    time.sleep(rng.uniform(0, think))  # people do not all click at the same instant
    while time.monotonic() < until:
        path = rng.choice(pages)
        started = time.perf_counter()
        problem = None
        try:
            status, headers, _ = session.request("GET", path)
            if status >= 500:
                problem = f"HTTP {status} {path}"
            elif status == 302 and "/accounts/login/" in headers.get("Location", ""):
                problem = f"signed out {path}"
        except (OSError, http.client.HTTPException) as error:
            problem = f"{type(error).__name__} {path}"
            session.conn = None
        results.record(time.perf_counter() - started, problem)
        time.sleep(rng.uniform(0.5 * think, 1.5 * think))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


class Site:
    """A fresh database with the dataset, and `peermentor serve` on it."""

    def __init__(self, database: str, args: argparse.Namespace) -> None:
        self.database = database
        self.args = args
        if args.keep:
            self.tmp = Path(tempfile.gettempdir()) / f"peermentor-bench-{database}-{args.dataset}"
            self.tmp.mkdir(exist_ok=True)
            self.pg_name = f"peermentor_bench_{args.dataset}"
        else:
            self.tmp = Path(tempfile.mkdtemp(prefix=f"peermentor-bench-{database}-"))
            self.pg_name = f"peermentor_bench_{os.getpid()}"
        self.ready_mark = self.tmp / "ready"
        self.port = free_port()
        self.log_path = self.tmp / "server.log"
        self.server: subprocess.Popen[bytes] | None = None
        self.keep_log = False
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PEERMENTOR_")}
        self.env.update(
            {
                "PEERMENTOR_DATA_DIR": str(self.tmp / "data"),
                "PEERMENTOR_STATIC_STORAGE": PLAIN_STATIC,
                "SECRET_KEY": "bench-" + uuid.uuid4().hex,
                "EMAIL_URL": "dummy://",
                "LOG_LEVEL": "WARNING",
                # 50 people behind one address sign in at once: not an attack.
                "PEERMENTOR_LOGIN_RATE_LIMIT": "1000/m/ip,100/5m/key",
            }
        )
        self.env.pop("DATABASE_URL", None)
        self.env.pop("CACHE_URL", None)
        if database == "postgresql":
            base = os.environ.get(
                "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
            )
            self.admin_url = base
            self.env["DATABASE_URL"] = base.rsplit("/", 1)[0] + f"/{self.pg_name}"

    def peermentor(self, *command: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "peermentor.cli", *command],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"peermentor {' '.join(command)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def _psql(self, sql: str) -> None:
        parts = urlsplit(self.admin_url)
        env = {**os.environ, "PGPASSWORD": parts.password or ""}
        subprocess.run(  # noqa: S603
            [
                shutil.which("psql") or "psql",
                "-h",
                parts.hostname or "127.0.0.1",
                "-p",
                str(parts.port or 5432),
                "-U",
                parts.username or "postgres",
                "-d",
                parts.path.lstrip("/") or "postgres",
                "-qc",
                sql,
            ],
            env=env,
            check=True,
            capture_output=True,
        )

    def prepare(self) -> None:
        if self.ready_mark.exists():
            print(f"  {self.database}: the kept database from an earlier run", flush=True)
            return
        (self.tmp / "data").mkdir(exist_ok=True)
        if self.database == "postgresql":
            self._psql(f'DROP DATABASE IF EXISTS "{self.pg_name}"')
            self._psql(f'CREATE DATABASE "{self.pg_name}"')
        step = time.monotonic()
        self.peermentor("migrate", "--no-input", "-v", "0")
        self.peermentor("createcachetable")
        self.peermentor("demo")
        if self.args.dataset == "consortium":
            self.peermentor("demo", "--scale", "consortium")
            code = SET_PASSWORDS.format(emails=CONSORTIUM_MEMBERS, password=DEMO_PASSWORD)
            self.peermentor("shell", "-c", code)
        print(f"  {self.database}: database ready in {time.monotonic() - step:.0f} s", flush=True)
        self.ready_mark.touch()

    def start(self) -> None:
        log = self.log_path.open("wb")
        self.server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "peermentor.cli",
                "serve",
                "--no-worker",
                "--port",
                str(self.port),
                "--workers",
                str(self.args.workers),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if Session(self.port).request("GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the server did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.server is not None:
            try:
                os.killpg(self.server.pid, signal.SIGTERM)
                self.server.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.server.pid, signal.SIGKILL)
        if self.args.keep:
            print(f"  {self.database}: the database is kept in {self.tmp}", flush=True)
            return
        if self.database == "postgresql":
            try:
                self._psql(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            except subprocess.CalledProcessError:
                print(f"  could not drop {self.pg_name}; drop it by hand", file=sys.stderr)
        if self.keep_log:
            kept = Path(tempfile.gettempdir()) / f"peermentor-bench-{self.database}-server.log"
            shutil.copy(self.log_path, kept)
            print(f"  {self.database}: the server log is kept in {kept}", flush=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def locked_lines(self) -> int:
        return self.log_path.read_text(errors="replace").count("database is locked")


# Generated members have no password; the bench gives these forty the demo one.
CONSORTIUM_MEMBERS = [f"m{n}@consortium.example" for n in range(0, 2000, 50)]
SET_PASSWORDS = (
    "from django.contrib.auth.hashers import make_password;"
    "from peermentor.accounts.models import User;"
    "User.objects.filter(email__in={emails!r}).update(password=make_password({password!r}))"
)


def accounts(dataset: str) -> dict[str, list[str]]:
    people = {
        "member": [f"member{n}@example.org" for n in range(1, 9)],
        "director": ["director@example.org"],
        "evaluator": ["evaluator@example.org", "coder@example.org"],
    }
    if dataset == "consortium":
        people = {
            "member": CONSORTIUM_MEMBERS,
            "director": ["director@consortium.example"],
            "evaluator": ["evaluator@consortium.example"],
        }
    return people


def run(database: str, args: argparse.Namespace) -> bool:
    site = Site(database, args)
    try:
        site.prepare()
        site.start()
        people = accounts(args.dataset)
        pools: dict[str, list[str]] = {}
        for role, emails in people.items():
            for email in emails[:3] if role == "member" else emails:
                pools[email] = discover(site.port, email, role)
        sizes = ", ".join(f"{email} {len(pages)}" for email, pages in pools.items())
        print(f"  {database}: pages found per person: {sizes}", flush=True)
        rng = random.Random(args.seed)
        roles = rng.choices([r for r, _ in MIX], weights=[w for _, w in MIX], k=args.users)
        emails = [rng.choice(people[role]) for role in roles]
        signed_in: dict[str, dict[str, str]] = {}
        step = time.monotonic()
        for email in dict.fromkeys(emails):  # one session per account, shared by its users
            session = Session(site.port)
            session.sign_in(email)
            signed_in[email] = session.cookies
        print(
            f"  {database}: {len(signed_in)} accounts signed in ({time.monotonic() - step:.0f} s)",
            flush=True,
        )
        results = Results()
        until = time.monotonic() + args.seconds
        threads = []
        for number, (role, email) in enumerate(zip(roles, emails, strict=True)):
            pages = pools.get(email) or pools[next(e for e in people[role] if e in pools)]
            thread = threading.Thread(
                target=simulate,
                args=(
                    site.port,
                    signed_in[email],
                    pages,
                    until,
                    args.think,
                    results,
                    args.seed + number,
                ),
                daemon=True,
            )
            threads.append(thread)
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started
        latencies = [value * 1000 for value in results.latencies]
        errors = sum(results.errors.values())
        locked = site.locked_lines()
        print(
            f"{database:10} dataset={args.dataset} users={args.users} seconds={elapsed:.0f} "
            f"think={args.think}s workers={args.workers}\n"
            f"           requests={len(latencies)} errors={errors} database-is-locked={locked} "
            f"p50={percentile(latencies, 0.50):.0f}ms p95={percentile(latencies, 0.95):.0f}ms "
            f"p99={percentile(latencies, 0.99):.0f}ms mean={statistics.fmean(latencies):.0f}ms "
            f"throughput={len(latencies) / elapsed:.1f} req/s",
            flush=True,
        )
        for problem, count in results.errors.most_common(5):
            print(f"           {count} × {problem}")
        site.keep_log = bool(errors or locked)
        return errors == 0 and locked == 0
    finally:
        site.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300, help="Browsing time per database.")
    parser.add_argument("--users", type=int, default=50, help="Simulated people at once.")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--dataset", choices=["demo", "consortium"], default="consortium")
    parser.add_argument("--think", type=float, default=2.0, help="Mean pause between pages (s).")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="Keep each database (a folder in the temporary directory; PostgreSQL database "
        "peermentor_bench_<dataset>) and reuse it next time instead of making it again.",
    )
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    print(f"== load: {args.users} users, {args.seconds:.0f} s per database, {args.dataset} dataset")
    ok = True
    for database in databases:
        ok = run(database, args) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
