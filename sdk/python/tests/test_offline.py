"""The SDK's behaviour that needs no Provenance: configuration, errors, retries, timeouts,
paging and secrecy of the token, against a local fake HTTP server."""

import asyncio
import json
import os
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import provenance

TOKEN = "prv_secret_token_value_123456"


class Fake:
    """A local HTTP server answering from a script: answer(method, path, n) -> (status, body, headers)."""

    def __init__(self, answer):
        self.calls = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length).decode() if length else None
                fake.calls.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body})
                status, payload, headers = answer(self.command, self.path, len(fake.calls))
                data = b"" if payload is None else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def run(awaitable):
    async def wait():
        return await awaitable

    return asyncio.run(wait())


class Configuration(unittest.TestCase):
    def test_missing_url_or_token_is_an_error_before_any_request(self):
        with mock.patch.dict(os.environ, {"PROVENANCE_URL": "", "PROVENANCE_TOKEN": ""}):
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                run(provenance.api())
            self.assertIsNone(ctx.exception.status)
            self.assertIn("PROVENANCE_URL", str(ctx.exception))
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                provenance.Client(url="http://x")
            self.assertIn("PROVENANCE_TOKEN", str(ctx.exception))
            with self.assertRaises(provenance.ProvenanceError):
                provenance.Client(url="ftp://x", token=TOKEN)

    def test_reads_the_environment_and_explicit_arguments_win(self):
        fake = Fake(lambda m, p, n: (200, {"data": []}, {}))
        try:
            env = {"PROVENANCE_URL": fake.url, "PROVENANCE_TOKEN": "prv_from_env", "PROVENANCE_ORG": "acme"}
            with mock.patch.dict(os.environ, env):
                with provenance.Client() as api:
                    self.assertEqual(api.inbound_sources.list(), {"data": []})
                with provenance.Client(token=TOKEN, org="other") as api:
                    api.inbound_sources.list()
            self.assertEqual(fake.calls[0]["headers"]["authorization"], "Bearer prv_from_env")
            self.assertEqual(fake.calls[0]["headers"]["x-provenance-org"], "acme")
            self.assertEqual(fake.calls[1]["headers"]["authorization"], f"Bearer {TOKEN}")
            self.assertEqual(fake.calls[1]["headers"]["x-provenance-org"], "other")
            self.assertTrue(fake.calls[0]["headers"]["user-agent"].startswith("provenance-sdk-python/"))
        finally:
            fake.close()


class Requests(unittest.TestCase):
    def setUp(self):
        self.fake = Fake(lambda m, p, n: (204, None, {}) if m == "DELETE" else (200, {"ok": 1}, {}))
        self.api = provenance.Client(url=self.fake.url, token=TOKEN)

    def tearDown(self):
        self.api.close()
        self.fake.close()

    def test_method_path_query_and_body_come_from_the_operation_table(self):
        self.api.inbound_sources.update("a/b c", {"title": "T"})
        self.api.events.list(status="failed", limit=5, source_id=None)
        self.api.interactions.list(source_id="s1", resource_type="payment")
        self.api.secrets.put("STRIPE_KEY", {"value": "v"})
        self.assertIsNone(self.api.routes.delete("r1"))
        got = [(c["method"], c["path"], c["body"]) for c in self.fake.calls]
        self.assertEqual(got, [
            ("PATCH", "/api/v1/inbound-sources/a%2Fb%20c", '{"title": "T"}'),
            ("GET", "/api/v1/events?status=failed&limit=5", None),
            ("GET", "/api/v1/interactions?sourceId=s1&resourceType=payment", None),
            ("PUT", "/api/v1/secrets/STRIPE_KEY", '{"value": "v"}'),
            ("DELETE", "/api/v1/routes/r1", None),
        ])
        self.assertEqual(self.fake.calls[0]["headers"]["content-type"], "application/json")


class Errors(unittest.TestCase):
    def test_status_body_and_a_message_naming_method_status_and_error(self):
        details = [{"path": "/mnemonic", "message": "is taken"}]
        fake = Fake(lambda m, p, n: (409, {"error": "Conflict", "details": details}, {}))
        try:
            api = run(provenance.api(url=fake.url, token=TOKEN))
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                run(api.inbound_sources.create({"title": "S", "mnemonic": "S"}))
            self.assertEqual(ctx.exception.status, 409)
            self.assertEqual(ctx.exception.body, {"error": "Conflict", "details": details})
            self.assertEqual(str(ctx.exception), "inbound_sources.create failed: 409 Conflict")
        finally:
            fake.close()

    def test_the_token_is_never_shown(self):
        api = provenance.Client(url="http://127.0.0.1:9", token=TOKEN, retries=0)
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            api.events.list()
        self.assertIsNone(ctx.exception.status)
        self.assertIn("network error", str(ctx.exception))
        async_api = run(provenance.api(url="http://127.0.0.1:9", token=TOKEN))
        for shown in (str(ctx.exception), repr(ctx.exception), repr(api), repr(async_api), repr(api._transport),
                      repr(api._transport.config), repr(async_api.events), str(vars(ctx.exception))):
            self.assertNotIn(TOKEN, shown)

    def test_a_timeout_has_no_status_and_says_so(self):
        import time

        def slow(m, p, n):
            time.sleep(0.5)
            return 200, {}, {}

        fake = Fake(slow)
        try:
            api = provenance.Client(url=fake.url, token=TOKEN, timeout=0.1)
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                api.events.get("e1")
            self.assertIsNone(ctx.exception.status)
            self.assertEqual(str(ctx.exception), "events.get failed: timed out after 0.1 s")
            self.assertEqual(len(fake.calls), 1)
        finally:
            fake.close()


class Retries(unittest.TestCase):
    def test_get_and_delete_are_retried_on_502_503_504_with_retry_after(self):
        fake = Fake(lambda m, p, n: (503, {"error": "Server busy, retry later"}, {"retry-after": "0"}) if n == 1
                    else (502, {}, {}) if n == 2 else (200, {"data": []}, {}))
        try:
            api = provenance.Client(url=fake.url, token=TOKEN)
            self.assertEqual(api.inbound_sources.list(), {"data": []})
            self.assertEqual(len(fake.calls), 3)
        finally:
            fake.close()

    def test_gives_up_after_retries_with_the_last_answer(self):
        fake = Fake(lambda m, p, n: (503, {"error": "Server busy, retry later"}, {"retry-after": "0"}))
        try:
            api = provenance.Client(url=fake.url, token=TOKEN, retries=1)
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                api.events.list()
            self.assertEqual(ctx.exception.status, 503)
            self.assertEqual(len(fake.calls), 2)
        finally:
            fake.close()

    def test_post_patch_and_put_are_never_retried(self):
        fake = Fake(lambda m, p, n: (503, {"error": "Server busy, retry later"}, {"retry-after": "0"}))
        try:
            api = provenance.Client(url=fake.url, token=TOKEN)
            for call in (lambda: api.events.replay("e1"), lambda: api.inbound_mappings.update("m1", {}),
                         lambda: api.secrets.put("A", {"value": "v"})):
                with self.assertRaises(provenance.ProvenanceError):
                    call()
            self.assertEqual([c["method"] for c in fake.calls], ["POST", "PATCH", "PUT"])
        finally:
            fake.close()


class Paging(unittest.TestCase):
    def test_iterate_walks_every_page_keeping_the_filters(self):
        pages = {None: {"data": [{"id": "a"}, {"id": "b"}], "nextCursor": "c1"},
                 "c1": {"data": [{"id": "c"}], "nextCursor": "c2"},
                 "c2": {"data": [], "nextCursor": None}}

        def answer(m, p, n):
            from urllib.parse import parse_qs, urlsplit
            cursor = parse_qs(urlsplit(p).query).get("cursor", [None])[0]
            return 200, pages[cursor], {}

        fake = Fake(answer)
        try:
            async def collect():
                async with provenance.api(url=fake.url, token=TOKEN) as api:
                    return [e["id"] async for e in api.events.iterate(status="failed", limit=2)]

            self.assertEqual(run(collect()), ["a", "b", "c"])
            self.assertEqual([c["path"] for c in fake.calls], [
                "/api/v1/events?status=failed&limit=2",
                "/api/v1/events?status=failed&limit=2&cursor=c1",
                "/api/v1/events?status=failed&limit=2&cursor=c2",
            ])
            sync = provenance.Client(url=fake.url, token=TOKEN)
            self.assertEqual([e["id"] for e in sync.events.iterate()], ["a", "b", "c"])
        finally:
            fake.close()


if __name__ == "__main__":
    unittest.main()
