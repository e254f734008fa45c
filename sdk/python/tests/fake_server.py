"""A local HTTP/1.1 server for the offline tests, answering from a script.

``Fake(answer)``: ``answer(call)`` gets the recorded call (a dict: method, path, headers,
body, n = its 1-based number, port = the client's port) and returns an ``Answer``, or a
tuple ``(status, json_body[, headers])``. Connections are kept alive unless the answer says
otherwise, so tests can count the client's connections (``fake.ports``) and see them
closed (``fake.closed``).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple, Union


class Answer:
    def __init__(self, status: int = 200, body: Any = None, headers: Optional[Dict[str, str]] = None, *,
                 raw: Optional[bytes] = None, chunked: bool = False, delay: float = 0.0, drip: float = 0.0,
                 drop: bool = False, close: bool = False):
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.raw = raw  # the body's bytes as they are (else body as JSON, or nothing for None)
        self.chunked = chunked  # send the body with Transfer-Encoding: chunked
        self.delay = delay  # seconds before answering
        self.drip = drip  # seconds between the body's bytes
        self.drop = drop  # close the connection without answering
        self.close = close  # close the connection after answering


Script = Callable[[Dict[str, Any]], Union[Answer, Tuple[Any, ...]]]


class Fake:
    def __init__(self, answer: Script):
        self.calls: List[Dict[str, Any]] = []
        self.ports: List[int] = []  # client ports, one per connection
        self.closed: List[int] = []  # client ports whose connection has ended
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs (40 ms a call)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
                pass

            def setup(self) -> None:
                super().setup()
                with fake._lock:
                    fake.ports.append(self.client_address[1])

            def finish(self) -> None:
                try:
                    super().finish()
                finally:
                    with fake._lock:
                        fake.closed.append(self.client_address[1])

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length).decode() if length else None
                with fake._lock:
                    call = {"method": self.command, "path": self.path, "body": body, "n": len(fake.calls) + 1,
                            "headers": {k.lower(): v for k, v in self.headers.items()}, "port": self.client_address[1],
                            "raw_headers": str(self.headers)}
                    fake.calls.append(call)
                got = answer(call)
                a = got if isinstance(got, Answer) else Answer(*got)
                if a.delay:
                    time.sleep(a.delay)
                if a.drop:
                    self.close_connection = True
                    return
                data = a.raw if a.raw is not None else (b"" if a.body is None else json.dumps(a.body).encode())
                try:
                    self.send_response(a.status)
                    for k, v in a.headers.items():
                        self.send_header(k, v)
                    if a.chunked:
                        self.send_header("transfer-encoding", "chunked")
                    else:
                        self.send_header("content-length", str(len(data)))
                    if a.close:
                        self.send_header("connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    if a.chunked:
                        for i in range(0, len(data), 7):
                            piece = data[i:i + 7]
                            self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(piece), piece))
                        self.wfile.write(b"0\r\nx-trailer: t\r\n\r\n")
                    elif a.drip:
                        for byte in data:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(a.drip)
                    else:
                        self.wfile.write(data)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (the timeout tests)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def wait_closed(self, count: int, timeout: float = 2.0) -> bool:
        """Waits until ``count`` connections have ended."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if len(self.closed) >= count:
                return True
            time.sleep(0.01)
        return len(self.closed) >= count

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
