"""Scale-out, proven: two app servers and a worker on one PostgreSQL, the cache on Redis.

Each server is the real `peermentor serve --no-worker` (gunicorn) in its own process and the
worker is the real `peermentor db_worker`; they reach PostgreSQL through a small TCP relay run
by the test, so the test can also cut PostgreSQL off and bring it back. `make scale-demo` runs
this file. It needs PostgreSQL (DATABASE_URL) and Redis (PEERMENTOR_SCALE_REDIS, default
redis://127.0.0.1:6379/13); CI runs it in its PostgreSQL pass.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("PEERMENTOR_SCALE_REDIS", "redis://127.0.0.1:6379/13")
PASSWORD = "a-long-scale-out-password-42"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="scale-out runs on PostgreSQL only: run with DATABASE_URL=postgres://… (CI does)",
    ),
    pytest.mark.django_db(transaction=True),
]


# --- A relay in front of PostgreSQL, so the test can stop "PostgreSQL" and start it again ---


class Relay:
    """Forwards TCP connections from a local port to PostgreSQL; ``stop()`` drops them all."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            listener.close()
        with self._lock:
            for sock in list(self._open):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self._listener is not listener:  # stopped meanwhile
                client.close()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open.update({client, upstream})
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- A browser-like HTTP client: cookies shared by every server, as behind one proxy --------


class Browser:
    """Keeps one cookie jar for all servers (they sit behind one address in production)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, port: int, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.headers.items()), text
        finally:
            conn.close()

    def get(self, port: int, path: str) -> tuple[int, dict[str, str], str]:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, form: dict[str, str]) -> tuple[int, dict[str, str], str]:
        _, _, page = self.get(port, path if path.startswith("/accounts") else "/")
        token = self.cookies.get("csrftoken", "")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return self.request(
            port, "POST", path, {**form, "csrfmiddlewaretoken": found.group(1) if found else token}
        )

    def sign_in(self, port: int, email: str, password: str) -> tuple[int, str]:
        status, _, page = self.post(
            port, "/accounts/login/", {"login": email, "password": password}
        )
        return status, page


# --- The cluster: two app servers and one worker, all on the same database and cache --------


class Cluster:
    def __init__(self, tmp: Path, database: dict[str, Any]) -> None:
        self.relay = Relay((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
        self.ports = [free_port(), free_port()]
        self.processes: list[subprocess.Popen[bytes]] = []
        self.logs = tmp
        password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PEERMENTOR_")},
            "DATABASE_URL": (
                f"postgres://{database['USER']}{password}@127.0.0.1:{self.relay.port}"
                f"/{database['NAME']}"
            ),
            "DATABASE_CONN_MAX_AGE": "60",
            "CACHE_URL": f"{REDIS_URL}?key_prefix=scale-{uuid.uuid4().hex[:8]}",
            "PEERMENTOR_DATA_DIR": str(tmp / "data"),
            "PEERMENTOR_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
            "PEERMENTOR_STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "PEERMENTOR_LOGIN_RATE_LIMIT": "100/m/ip,5/5m/key",
            "SECRET_KEY": "scale-out-test-" + uuid.uuid4().hex,
            "EMAIL_URL": "dummy://",
            "LOG_LEVEL": "WARNING",
        }

    def start(self) -> None:
        self.relay.start()
        for port in self.ports:
            self._spawn(
                f"server-{port}", "serve", "--no-worker", "--port", str(port), "--workers", "1"
            )
        self._spawn("worker", "db_worker", "--interval", "0.5")
        deadline = time.monotonic() + 90
        for port in self.ports:
            while True:
                try:
                    if Browser().get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"the server on port {port} did not start: {self.log()}")
                time.sleep(0.3)

    def _spawn(self, name: str, *args: str) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        self.processes.append(
            subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "peermentor.cli", *args],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def log(self) -> str:
        return "\n".join(
            f"== {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.logs.glob("*.log"))
        )

    def stop(self) -> None:
        for process in self.processes:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(OSError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.relay.stop()


@pytest.fixture
def cluster(tmp_path: Path, transactional_db: Any) -> Iterator[Cluster]:
    redis_host, redis_port = re.match(r"redis://([^:/]+):(\d+)", REDIS_URL).groups()  # type: ignore[union-attr]
    try:
        socket.create_connection((redis_host, int(redis_port)), timeout=3).close()
    except OSError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
    (tmp_path / "data").mkdir()
    running = Cluster(tmp_path, connection.settings_dict)
    connection.close()  # the test's own connection does not go through the relay
    running.start()
    try:
        yield running
    finally:
        running.stop()


def _people() -> tuple[Any, Any]:
    """A director of a program with one group; passwords hashed as the servers hash them."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

    from peermentor.accounts.models import User
    from peermentor.programs import services

    director = User.objects.create(
        email="director@scale.example",
        name="Dana Scale",
        password=make_password(PASSWORD, hasher=PBKDF2PasswordHasher()),
    )
    program = services.program_create(name="Scale PMG", slug="scale", creator=director)
    services.group_create(
        program=program,
        name="Group A",
        time_zone="UTC",
        formed_on=dt.date(2024, 1, 8),
        actor=director,
    )
    return director, program


def _request_report(browser: Browser, port: int, program: Any, cluster: Cluster) -> int:
    status, headers, _ = browser.post(
        port,
        f"/programs/{program.slug}/reports/new/",
        {"group": "", "since": "2024-01-01", "until": "2024-12-31"},
    )
    assert status == 302, cluster.log()
    return int(re.search(r"/reports/(\d+)/", headers["Location"]).group(1))  # type: ignore[union-attr]


def _download_report(browser: Browser, port: int, report_id: int, cluster: Cluster) -> None:
    from peermentor.reports.models import Report

    deadline = time.monotonic() + 120
    while True:
        status, headers, page = browser.get(port, f"/reports/{report_id}/report.html")
        if status == 200:
            break
        report = Report.objects.get(pk=report_id)
        assert report.status != Report.Status.FAILED, cluster.log()
        assert time.monotonic() < deadline, f"report still {report.status}: {cluster.log()}"
        time.sleep(1)
    assert "Scale PMG" in html.unescape(page)
    assert 'filename="evaluation-report-scale-' in headers["Content-Disposition"]


def test_two_servers_share_sign_in_throttling_and_the_worker(cluster: Cluster) -> None:
    director, program = _people()
    a, b = cluster.ports
    started = time.monotonic()

    # Signed in through A, still signed in on B.
    browser = Browser()
    status, _ = browser.sign_in(a, director.email, PASSWORD)
    assert status == 302, cluster.log()
    status, _, page = browser.get(b, "/")
    assert status == 200, cluster.log()
    assert "Welcome, Dana" in html.unescape(page)
    assert "Sign out" in page

    # Failed sign-ins count across both servers: 3 on A and 2 on B reach the limit of 5...
    intruder = Browser()
    for port in (a, a, a, b, b):
        status, page = intruder.sign_in(port, director.email, "wrong-password")
        assert status == 200
        assert "Too many failed login attempts" not in page
    # ...so even the right password is refused now, on either server (A saw only 3 itself).
    for port in (a, b):
        status, page = Browser().sign_in(port, director.email, PASSWORD)
        assert status == 200, "signed in despite the limit"
        assert "Too many failed login attempts" in html.unescape(page)

    # A report requested on A is made by the worker and downloaded from B.
    report_id = _request_report(browser, a, program, cluster)
    _download_report(browser, b, report_id, cluster)
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.get(task_path="peermentor.reports.tasks.make_report")
    assert result.status == "SUCCESSFUL"
    assert result.worker_ids  # run by the worker process, not by a server
    print(f"\nscale-out checks took {time.monotonic() - started:.1f} s")


def test_postgresql_stopped_answers_503_and_service_resumes(cluster: Cluster) -> None:
    director, program = _people()
    a, b = cluster.ports
    browser = Browser()
    assert browser.sign_in(a, director.email, PASSWORD)[0] == 302
    assert browser.get(b, "/")[0] == 200

    cluster.relay.stop()  # PostgreSQL is gone for the servers
    for port in (a, b):
        status, headers, page = browser.get(port, "/")
        assert status == 503, cluster.log()
        assert "PeerMentor is unavailable for a moment" in page
        assert headers["Retry-After"] == "30"
        balancer = Browser()  # a load balancer's check carries no cookie
        status, _, body = balancer.get(port, "/readyz")
        assert status == 503
        assert '"database": "unavailable"' in body
        assert balancer.get(port, "/healthz")[0] == 200  # alive, only not ready

    time.sleep(3)  # long enough for the worker to meet the outage too

    cluster.relay.start()  # PostgreSQL is back: no restart, the next requests work
    for port in (a, b):
        status, _, page = browser.get(port, "/")
        assert status == 200, cluster.log()
        assert "Welcome, Dana" in html.unescape(page)  # still signed in, no new sign-in
        assert Browser().get(port, "/readyz")[0] == 200
    # The worker resumed by itself as well: a report requested now is made.
    report_id = _request_report(browser, a, program, cluster)
    _download_report(browser, b, report_id, cluster)
