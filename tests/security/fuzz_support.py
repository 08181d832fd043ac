"""What the importer fuzz tests share: mutation strategies, the sandbox and small valid seeds.

The sandbox refuses network connections and opening files outside the Python installation and
the time-zone database while a reader runs, and tracemalloc measures the peak memory of a batch.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import socket
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = 1000  # generated inputs per importer
PER_EXAMPLE = 10  # inputs per hypothesis example (its fixed cost is shared by ten)
FUZZ = settings(
    max_examples=EXAMPLES // PER_EXAMPLE,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
)
# Generous for a few-kilobyte input, tight enough to catch a reader that balloons (a zip bomb,
# an XML entity expansion, a quadratic copy of its input).
PEAK_BYTES = 64 * 1024 * 1024

_READABLE = tuple(
    str(Path(p).resolve())
    for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr/share/zoneinfo", "/usr/lib"}
)


class SandboxBreach(AssertionError):
    """A reader tried the network or a file."""


def mutate(seed: bytes, script: bytes) -> bytes:
    """The seed changed by a script of 3-byte steps: insert, delete, replace, repeat, cut."""
    data = bytearray(seed)
    for i in range(0, len(script) - 2, 3):
        kind, where, value = script[i], script[i + 1], script[i + 2]
        at = (where * 256 + value) % (len(data) + 1)
        match kind % 6:
            case 0:
                data[at:at] = bytes([value])
            case 1:
                data[at:at] = _TOKENS[value % len(_TOKENS)]
            case 2:
                del data[at : at + 1 + value % 16]
            case 3:
                if at < len(data):
                    data[at] = value
            case 4:
                data[at:at] = data[at : at + 1 + value % 32] * (1 + value % 3)
            case _:
                del data[at:]
    return bytes(data)


# Bytes that mean something to one of the formats: quotes, separators, markup, escapes.
_TOKENS = [
    b'"',
    b",",
    b";",
    b"\n",
    b"\r\n",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"<",
    b">",
    b"</",
    b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    b"&a;",
    b"&#0;",
    b"{",
    b"}",
    b"[",
    b"]",
    b"null",
    b"1e999",
    b"-1",
    b"99999999999999999999",
    b"@article{",
    b"TY  - ",
    b"ER  - ",
    b"BEGIN:VEVENT\r\n",
    b"RRULE:FREQ=SECONDLY\r\n",
    b"=cmd|' /C calc'!A0",
    "é".encode(),
    "\U0001f600".encode(),
    b"\\",
    b"%",
]


def _input(seed: bytes, script: bytes) -> bytes:
    # One draw per input keeps generation cheap; a script starting with a multiple of 5 is
    # taken as raw bytes (binary noise), any other as mutations of the seed.
    if script and script[0] % 5 == 0:
        return script[1:]
    return mutate(seed, script[1:])


def inputs(seed: bytes) -> st.SearchStrategy[list[bytes]]:
    """A batch of PER_EXAMPLE inputs: mutated seeds mostly, raw bytes sometimes."""
    one = st.binary(max_size=48).map(lambda script: _input(seed, script))
    return st.lists(one, min_size=PER_EXAMPLE, max_size=PER_EXAMPLE)


def _refuse_connect(self: socket.socket, *args: Any, **kwargs: Any) -> None:
    raise SandboxBreach(f"network access during an import: {args!r}")


def _guarded_open(real: Any) -> Any:
    def guarded(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, int):
            raise SandboxBreach(f"an import opened file descriptor {file}")
        path = str(Path(str(file)).resolve())
        if not path.startswith(_READABLE):
            raise SandboxBreach(f"an import opened a file: {path}")
        return real(file, *args, **kwargs)

    return guarded


@contextlib.contextmanager
def sandbox() -> Iterator[None]:
    """No network and no file outside the installation while the block runs."""
    real_open, real_io_open = builtins.open, io.open
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    builtins.open = _guarded_open(real_open)
    io.open = _guarded_open(real_io_open)
    socket.socket.connect = _refuse_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse_connect  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        builtins.open, io.open = real_open, real_io_open
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]


class Batch:
    """Runs one reader on many inputs under the sandbox, tracking peak memory of each call."""

    def __init__(self, errors: tuple[type[BaseException], ...], trace_every: int = 1) -> None:
        self.errors = errors
        self.trace_every = trace_every  # tracemalloc slows a call about 3.5 times
        self.traced = 0
        self.calls = 0
        self.refused = 0
        self.peak = 0

    def run(self, call: Any, *args: Any, **kwargs: Any) -> Any:
        """The call's result, or None when it raised one of the expected errors."""
        self.calls += 1
        trace = self.calls % self.trace_every == 0
        if trace:
            tracemalloc.start()  # only the call is traced, not the generation of its input
            self.traced += 1
        try:
            with sandbox():
                return call(*args, **kwargs)
        except self.errors:
            self.refused += 1
            return None
        finally:
            if trace:
                self.peak = max(self.peak, tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()

    def check(self, *, minimum_refused: int = 1) -> None:
        assert self.calls >= EXAMPLES, f"only {self.calls} inputs were tried"
        assert self.traced >= self.calls // self.trace_every
        assert self.peak < PEAK_BYTES, f"a call took {self.peak:,} bytes at its peak"
        # A seed that never parses, or a mutation that never breaks it, tests nothing.
        assert self.refused >= minimum_refused, "no input was refused"
        assert self.refused < self.calls, "every input was refused: the seed is not valid"
