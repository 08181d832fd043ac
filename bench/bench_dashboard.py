"""Serve PeerMentor with its own server (gunicorn) and time the program director's dashboard.

Run as ``python bench/bench_dashboard.py [--data-dir DIR] [--clients 20] [--requests 400]``.
The consortium program (``peermentor demo --scale consortium``) is made first when the data
folder does not hold it yet (the time is printed). With ``DATABASE_URL`` pointing at
PostgreSQL the same run measures PostgreSQL. Prints p50/p95 of the dashboard and of the health
endpoint (a trivial view) under the same concurrent load, their ratio, and the number of
database queries of the dashboard page with its figures computed and cached.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEERMENTOR = [sys.executable, "-m", "peermentor.cli"]
PROGRAM = "consortium"
DIRECTOR = "director@consortium.example"

SESSION_SCRIPT = f"""
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from peermentor.accounts.models import User
user = User.objects.get(email="{DIRECTOR}")
s = SessionStore()
s[SESSION_KEY] = str(user.pk)
s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
s[HASH_SESSION_KEY] = user.get_session_auth_hash()
s.create()
print("SESSION", s.session_key)
"""

QUERIES_SCRIPT = f"""
import time
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from peermentor.accounts.models import User
client = Client()
client.force_login(User.objects.get(email="{DIRECTOR}"),
                   backend="django.contrib.auth.backends.ModelBackend")
cache.clear()
for label in ("computing the figures", "figures cached"):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get("/programs/{PROGRAM}/figures/", HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.status_code
        took = time.perf_counter() - started
    print(f"QUERIES {{label}}: {{len(queries)}} queries, {{took * 1000:.0f}} ms")
"""


def run(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603 -- our own command line
        PEERMENTOR + args, env=env, check=False, text=True, capture_output=True, **kwargs
    )
    if done.returncode:
        raise SystemExit(f"peermentor {args[0]} failed:\n{done.stderr[-2000:]}")
    return done


def prepare(env: dict[str, str]) -> None:
    run(["migrate", "-v0"], env)
    run(["createcachetable"], env)
    run(["collectstatic", "--no-input", "-v0"], env)
    check = run(
        [
            "shell",
            "-c",
            f"from peermentor.programs.models import Program; "
            f"print(Program.objects.filter(slug='{PROGRAM}').exists())",
        ],
        env,
    )
    if check.stdout.strip().endswith("True"):
        print("Consortium program: already generated in this database.")
        return
    started = time.monotonic()
    run(["demo", "--scale", "consortium"], env, timeout=3600)
    print(
        f"Consortium program generated in {time.monotonic() - started:.0f} s "
        "(300 groups, 2,000 members, 10,000 meetings, 50,000 answers, 100,000 works)."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, cookie: str) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = connection.getresponse()
    response.read()
    took = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return took


def load(port: int, path: str, cookie: str, clients: int, total: int) -> list[float]:
    """``total`` requests to ``path`` from ``clients`` threads at once; the times in seconds."""
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = max(total // clients, 1)

    def client() -> None:
        for _ in range(per_client):
            try:
                took = get(port, path, cookie)
            except (OSError, RuntimeError, http.client.HTTPException) as error:
                with lock:
                    errors.append(str(error))
                continue
            with lock:
                times.append(took)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"  {len(errors)} failed requests to {path}, e.g. {errors[0]}")
    return times


def describe(label: str, times: list[float], seconds: float) -> float:
    ordered = sorted(times)
    p50 = statistics.median(ordered)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    print(
        f"{label:28} n={len(ordered):4}  p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  "
        f"max {ordered[-1] * 1000:7.1f} ms  {len(ordered) / seconds:6.1f} req/s"
    )
    return p50


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603
        [*PEERMENTOR, "serve", "--port", str(port), "--workers", str(workers), "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            get(port, "/healthz", "")
            return server
        except (OSError, RuntimeError, http.client.HTTPException):
            time.sleep(0.5)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("The server did not start.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="PeerMentor data folder (default: a new one).")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000, help="Requests per endpoint.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes.")
    options = parser.parse_args()
    env = {
        **os.environ,
        "PEERMENTOR_DATA_DIR": options.data_dir or tempfile.mkdtemp(prefix="bench-dashboard-"),
        "PYTHONPATH": str(ROOT / "src"),
    }
    database = env.get("DATABASE_URL", "").split("://")[0] or "sqlite"
    print(
        f"Database: {database}; {os.cpu_count()} cores; {options.workers} gunicorn workers; "
        f"{options.clients} concurrent clients."
    )
    prepare(env)
    for line in run(["shell", "-c", QUERIES_SCRIPT], env).stdout.splitlines():
        if line.startswith("QUERIES"):
            print("Dashboard page,", line.removeprefix("QUERIES "))
    cookie = run(["shell", "-c", SESSION_SCRIPT], env).stdout.split("SESSION ")[-1].strip()
    port = free_port()
    server = serve(env, port, options.workers)
    try:
        dashboard = f"/programs/{PROGRAM}/figures/"
        first = get(port, dashboard, cookie)
        print(f"First dashboard request after start: {first * 1000:.0f} ms")
        for path in (dashboard, "/healthz"):  # warm every worker
            load(port, path, cookie, options.clients, options.clients * 2)
        started = time.perf_counter()
        times = load(port, dashboard, cookie, options.clients, options.requests)
        p50_dashboard = describe("Director dashboard", times, time.perf_counter() - started)
        started = time.perf_counter()
        times = load(port, "/healthz", cookie, options.clients, options.requests)
        p50_health = describe("Health endpoint (trivial)", times, time.perf_counter() - started)
        print(f"Ratio of medians, dashboard / trivial view: {p50_dashboard / p50_health:.1f}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
