"""Hostile work runs in child processes that may die without taking the server with them.

User SQL (``datastore_search_sql``) and file imports run code whose memory and
time are decided by strangers: a ``range(100000000)`` or a spreadsheet that
claims 16,384 columns by a million rows. Each runs in a **separate OS process**:

* **memory**: the child caps its own address space (``RLIMIT_AS``) at its size
  once its libraries are loaded plus a budget in megabytes
  (``PACO_SQL_MEMORY_MB``, ``PACO_IMPORT_MEMORY_MB``). Past it, ``malloc`` fails
  inside the child — DuckDB and Python raise, or the child aborts — and the
  parent's memory does not move;
* **death**: a child that is killed, aborts, segfaults or runs out of memory is
  seen by its parent as an end of file on the pipe; the parent names the signal
  (:class:`AbnormalExit`) and goes on serving;
* **orphans**: a child dies with its parent (``PR_SET_PDEATHSIG``), so a killed
  worker never leaves an import running unseen.

Children are forked by multiprocessing's *forkserver*: a small server process,
started once, with the heavy modules (DuckDB, the tabular library) already
imported, forks each child. A child starts in milliseconds and inherits neither
the web process's threads nor its database connections.

:class:`WorkerPool` keeps a few such children alive between calls (user SQL);
:func:`run_child` runs one call in a fresh child (imports).
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import resource
import signal
import socket
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from django.utils.module_loading import import_string

logger = logging.getLogger("paco.opendata.isolation")

MB = 1024 * 1024
#: imported once by the fork server, so that children start with them loaded (and DuckDB warm)
PRELOAD = ["paco.opendata.isolation_preload"]
PR_SET_PDEATHSIG = 1

_context_lock = threading.Lock()
_context: Any = None


def context() -> Any:
    """multiprocessing's forkserver context, with :data:`PRELOAD` (set once)."""
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _context = ctx
    return _context


# --- inside the child ---------------------------------------------------------------
def vm_size() -> int:
    """This process's address space in bytes (``VmSize`` in ``/proc/self/status``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def resident_size() -> int:
    """This process's resident memory in bytes (``VmRSS``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when the process that forked it ends."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pipe's end of file still stops work
        return
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(1)


def limit_memory(budget_mb: int) -> int:
    """Cap this process's address space at its current size plus ``budget_mb``; the cap."""
    cap = vm_size() + budget_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return cap


def warm_up_duckdb() -> None:
    """Open and close a DuckDB database, so its one-time reservations count as start-up."""
    import duckdb

    with duckdb.connect(":memory:") as con:
        con.execute("SELECT 1").fetchall()


def prepare_child(budget_mb: int) -> None:
    """First thing in a child: die with the parent, warm DuckDB (unless the fork server
    did), then cap the address space ``budget_mb`` above what is loaded."""
    die_with_parent()
    if not getattr(sys.modules.get("paco.opendata.isolation_preload"), "WARMED", False):
        warm_up_duckdb()
    limit_memory(budget_mb)


# --- what the parent sees -------------------------------------------------------------
class AbnormalExit(Exception):
    """The child ended without answering: killed, crashed or out of memory."""

    def __init__(self, exitcode: int | None, *, memory: bool = False) -> None:
        self.exitcode = exitcode
        self.memory = memory
        super().__init__(self.describe())

    @property
    def signal_number(self) -> int | None:
        return -self.exitcode if self.exitcode is not None and self.exitcode < 0 else None

    def describe(self) -> str:
        """pt-BR: how the process ended ("sinal 9 – SIGKILL", "código de saída 1")."""
        if self.memory:
            return "faltou memória dentro do limite"
        number = self.signal_number
        if number is not None:
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = "?"
            return f"sinal {number} – {name}"
        return f"código de saída {self.exitcode}"


class ChildFailed(Exception):
    """The child raised an unexpected exception (its type name and message)."""

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name


def _end(process: Any, kill: bool) -> int | None:
    """Reap ``process`` (killing it first when asked); its exit code."""
    if kill and process.is_alive():
        process.kill()
    process.join(10)
    code: int | None = process.exitcode
    return code


# --- one call in a fresh child (imports) ---------------------------------------------
def _one_shot(conn: Connection, target: str, kwargs: dict[str, Any], budget_mb: int) -> None:
    prepare_child(budget_mb)
    function = import_string(target)

    def send(message: Any) -> None:
        conn.send(("message", message))

    try:
        reply: tuple[str, Any] = ("result", function(send=send, **kwargs))
    except MemoryError:
        reply = ("memory", None)
    except Exception as exc:
        reply = ("error", (type(exc).__name__, str(exc)[:500]))
    try:
        conn.send(reply)
    except MemoryError:
        conn.send(("memory", None))
    conn.close()


def run_child(
    target: str,
    kwargs: dict[str, Any],
    *,
    memory_mb: int,
    on_message: Callable[[Any], None] | None = None,
) -> Any:
    """Call ``target(send=…, **kwargs)`` (a dotted path) in a new child; its return value.

    The child may call ``send(obj)`` any number of times: each object reaches
    ``on_message`` here, in order (progress). Raises :class:`AbnormalExit` when
    the child dies without answering (or runs out of memory) and
    :class:`ChildFailed` when it raised.
    """
    ctx = context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_one_shot, args=(sender, target, kwargs, memory_mb), name="paco-import", daemon=True
    )
    process.start()
    sender.close()
    finished = False
    try:
        while True:
            try:
                message = receiver.recv()
            except EOFError:
                finished = True
                raise AbnormalExit(_end(process, kill=False)) from None
            kind, payload = message
            if kind == "result":
                return payload
            if kind == "memory":
                raise AbnormalExit(None, memory=True)
            if kind == "error":
                raise ChildFailed(*payload)
            if on_message is not None:
                on_message(payload)
    finally:
        receiver.close()
        if not finished:
            _end(process, kill=True)


# --- a pool of long-lived children (user SQL) ----------------------------------------
class Busy(Exception):
    """Every worker of the pool stayed busy for the whole wait."""


class TimedOut(Exception):
    """The call passed its time limit; the child was killed."""


def _serve(conn: Connection, handler: str, budget_mb: int) -> None:
    """A pool child: answer ``handler(request)`` for each request until the pipe closes."""
    prepare_child(budget_mb)
    function = import_string(handler)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("result", function(request))
        except MemoryError:
            reply = ("memory", None)
        try:
            conn.send(reply)
        except MemoryError:
            reply = ("memory", None)
            conn.send(reply)
        if reply[0] == "memory":  # the heap may be in a poor state: start afresh
            return


class PoolWorker:
    """One long-lived child and the parent's end of its pipe."""

    def __init__(self, handler: str, budget_mb: int) -> None:
        ctx = context()
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_serve, args=(child, handler, budget_mb), name="paco-sql", daemon=True
        )
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> bool:
        """Whether the child is up with its limits in place and idle (False: dead or stuck)."""
        if self.ready:  # an idle worker has nothing to say: anything readable is its end
            return not self.conn.poll(0)
        try:
            if self.conn.poll(timeout) and self.conn.recv()[0] == "ready":
                self.ready = True
        except (EOFError, OSError):
            pass
        return self.ready

    def ask(self, request: Any, timeout: float) -> Any:
        """Send ``request``; the handler's answer, or TimedOut / AbnormalExit."""
        try:
            self.conn.send(request)
        except OSError:
            raise AbnormalExit(self.close()) from None
        if not self.conn.poll(timeout):
            self.close()
            raise TimedOut
        kind, payload = self._receive()
        if kind == "memory":
            self.close()
            raise AbnormalExit(None, memory=True)
        return payload

    def _receive(self) -> tuple[str, Any]:
        try:
            message: tuple[str, Any] = self.conn.recv()
        except (EOFError, OSError):
            raise AbnormalExit(self.close()) from None
        return message

    def close(self) -> int | None:
        """Kill the child (if still running) and reap it; its exit code."""
        if not self.conn.closed:
            self.conn.close()
        try:
            code = _end(self.process, kill=True)
        except ValueError:  # already closed
            return None
        return code


class WorkerPool:
    """At most ``size`` calls at a time, each in a long-lived child.

    One child is started with the pool; more (up to ``size``) when calls
    overlap, and they stay. A caller waits up to ``wait`` seconds for a free
    slot, then gets :class:`Busy`. A worker that passed its time limit or died
    is killed (SIGKILL, the time measured here, not by the child) and replaced
    at once, so the next call does not pay its start-up.
    """

    def __init__(self, handler: str, *, size: int, memory_mb: int) -> None:
        self.handler = handler
        self.size = size
        self.memory_mb = memory_mb
        self.slots = threading.BoundedSemaphore(size)
        self.lock = threading.Lock()
        self.idle: list[PoolWorker] = [self._new()]

    def _new(self) -> PoolWorker:
        return PoolWorker(self.handler, self.memory_mb)

    def call(self, request: Any, *, timeout: float, wait: float) -> Any:
        if not self.slots.acquire(timeout=wait):
            raise Busy
        try:
            worker = self._take(timeout)
            try:
                answer = worker.ask(request, timeout)
            except BaseException:
                worker.close()
                worker = self._new()
                raise
            finally:
                with self.lock:
                    self.idle.append(worker)
            return answer
        finally:
            self.slots.release()

    def _take(self, timeout: float) -> PoolWorker:
        """An idle worker ready to answer; one that died while idle is replaced."""
        with self.lock:
            worker = self.idle.pop() if self.idle else self._new()
        if worker.wait_ready(timeout):
            return worker
        worker.close()
        worker = self._new()
        if worker.wait_ready(timeout):
            return worker
        worker.close()
        raise AbnormalExit(None)

    def close(self) -> None:
        with self.lock:
            workers, self.idle = self.idle, []
        for worker in workers:
            worker.close()


# --- imports ---------------------------------------------------------------------------
IMPORT_TARGET = "paco.opendata.isolation.convert_file"


def convert_file(
    *,
    send: Callable[[Any], None],
    source: str,
    target: str,
    sheet: str | None,
    schema_override: dict[str, dict[str, Any]] | None,
) -> tuple[str, Any]:
    """In an import child: the tabular conversion; ``("ok", ConvertResult)`` or a rejection.

    Progress goes to the parent as ``(done, total)`` messages, at most one per
    percent. A refused file answers ``("rejected", (message, line, column))``.
    """
    from pathlib import Path

    from paco.opendata.tabular.convert import to_parquet
    from paco.opendata.tabular.errors import TabularError

    sent = [-1]

    def progress(done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 0
        if percent != sent[0]:
            sent[0] = percent
            send((done, total))

    try:
        result = to_parquet(
            Path(source),
            Path(target),
            sheet=sheet,
            schema_override=schema_override,
            progress=progress,
            screen=True,
        )
    except TabularError as exc:
        return "rejected", (exc.message, exc.line, exc.column)
    return "ok", result


# --- is the process of an attempt still running? ---------------------------------------
def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks after boot (field 22 of /proc/<pid>/stat)."""
    stat = _read(f"/proc/{pid}/stat")
    if ")" not in stat:
        return ""
    fields = stat.rsplit(")", 1)[1].split()
    return fields[19] if len(fields) > 19 else ""


def process_identity(pid: int | None = None) -> str:
    """``host|boot id|pid|start time`` of a process (this one by default): unique over time."""
    pid = os.getpid() if pid is None else pid
    boot = _read("/proc/sys/kernel/random/boot_id")
    return f"{socket.gethostname()}|{boot}|{pid}|{_start_time(pid)}"


def process_alive(identity: str) -> bool | None:
    """Whether the process named by :func:`process_identity` still runs.

    ``None`` when this machine cannot tell: no identity recorded, another host
    (or container), or no ``/proc``. A reused pid has another start time, so it
    does not count as alive.
    """
    parts = identity.split("|")
    if len(parts) != 4 or not parts[3]:
        return None
    host, boot, pid, started = parts
    if host != socket.gethostname() or not os.path.isdir("/proc/self"):
        return None
    if boot != _read("/proc/sys/kernel/random/boot_id"):
        return False  # the machine restarted since
    return pid.isdigit() and _start_time(int(pid)) == started
