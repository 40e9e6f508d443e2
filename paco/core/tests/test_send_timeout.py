"""A client that stops reading never holds a web thread: the socket gets a send timeout."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest

from paco.core import server


def request_on(sock: socket.socket) -> SimpleNamespace:
    return SimpleNamespace(unreader=SimpleNamespace(sock=sock))


def test_each_request_puts_a_timeout_on_the_client_socket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    left, right = socket.socketpair()
    with left, right:
        assert left.gettimeout() is None  # gunicorn's threads: blocking, no limit
        server.pre_request(None, request_on(left))
        assert left.gettimeout() == 30
        monkeypatch.setenv(server.SEND_TIMEOUT_ENV, "5")
        server.pre_request(None, request_on(left))
        assert left.gettimeout() == 5


def test_a_stalled_reader_makes_sendall_fail_instead_of_blocking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(server.SEND_TIMEOUT_ENV, "0.2")
    left, right = socket.socketpair()
    with left, right:
        server.pre_request(None, request_on(left))
        with pytest.raises(TimeoutError):
            left.sendall(b"x" * (64 * 1024 * 1024))  # nobody reads the other end


def test_zero_keeps_the_socket_blocking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(server.SEND_TIMEOUT_ENV, "0")
    left, right = socket.socketpair()
    with left, right:
        server.pre_request(None, request_on(left))
        assert left.gettimeout() is None
