"""`paco serve`'s access log: gunicorn's line, written without gunicorn's table of atoms."""

import base64
import datetime as dt
import logging

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from paco.core import server


class Response:
    def __init__(self, status, sent):
        self.status = status
        self.sent = sent
        self.headers = [("Content-Type", "text/html")]


class Request:
    headers = [("HOST", "x.paco.test"), ("USER-AGENT", 'curl "8"')]


def _line(logger_class, resp, environ, monkeypatch):
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", server.access_log_format)
    logger = logger_class(cfg)
    monkeypatch.setattr(logger, "now", lambda: "[08/Dec/2026:01:02:03 +0000]")
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger.access_log.handlers = [handler]
    logger.access(resp, Request(), environ, dt.timedelta(microseconds=1500))
    return records


@pytest.mark.parametrize(
    "environ,resp",
    [
        (
            {
                "REQUEST_METHOD": "GET",
                "RAW_URI": "/servicos/?q=%22a%22",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": "127.0.0.1",
                "HTTP_REFERER": 'http://x.paco.test/"',
                "HTTP_USER_AGENT": 'curl "8"',
            },
            Response("200 OK", 7720),
        ),
        (
            {
                "REQUEST_METHOD": "POST",
                "RAW_URI": '/conta/entrar/"',
                "SERVER_PROTOCOL": "HTTP/1.0",
                "REMOTE_ADDR": "::1",
                "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b'ana"b:senha').decode(),
            },
            Response("403 Forbidden", None),
        ),
        (
            {"REQUEST_METHOD": "HEAD", "RAW_URI": "/", "SERVER_PROTOCOL": "HTTP/1.1"},
            Response(404, 0),
        ),
    ],
)
def test_the_line_is_gunicorns_own(environ, resp, monkeypatch):
    ours = _line(server.AccessLogger, resp, environ, monkeypatch)
    theirs = _line(Logger, resp, environ, monkeypatch)
    assert len(ours) == 1
    assert ours == theirs
    assert ours[0].endswith(f"pid=<{__import__('os').getpid()}>")


def test_another_format_is_left_to_gunicorn(monkeypatch):
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", "%(s)s %({host}i)s")
    logger = server.AccessLogger(cfg)
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger.access_log.handlers = [handler]
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/", "SERVER_PROTOCOL": "HTTP/1.1"}
    logger.access(Response("200 OK", 5), Request(), environ, dt.timedelta(0))
    assert records == ["200 x.paco.test"]


def test_serve_uses_it():
    assert server.logger_class == "paco.core.server.AccessLogger"
