"""The SDK's behaviour that needs no Provenance, against a local fake server (fake_server.py):
configuration, the operation table, return values, errors, the token's secrecy, retries,
timeouts, pages and connections, for the async client and its synchronous twin."""

from __future__ import annotations

import ast
import asyncio
import gc
import io
import json
import logging
import os
import pickle
import sys
import time
import unittest
import urllib.parse
import warnings
from typing import Any, Callable, Dict, List, Tuple
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
for _path in (HERE, os.path.dirname(HERE)):  # fake_server, and the SDK itself without installing it
    if _path not in sys.path:
        sys.path.insert(0, _path)

import provenance  # noqa: E402
from fake_server import Answer, Fake  # noqa: E402
from provenance import _core  # noqa: E402

TOKEN = "prv_secret_token_value_123456"
OPS_FILE = os.path.join(os.path.dirname(HERE), "provenance", "_operations.py")
NO_ENV = {"PROVENANCE_URL": "", "PROVENANCE_TOKEN": "", "PROVENANCE_ORG": ""}

# Every operation of the table, called through the SDK: (operationId, call, path parameters, JSON body sent).
ID = "id 1/2"  # percent-encoded in the path
CALLS: List[Tuple[str, Callable[[Any], Any], Dict[str, str], Any]] = [
    ("listInboundSources", lambda a: a.inbound_sources.list(), {}, None),
    ("createInboundSource", lambda a: a.inbound_sources.create({"title": "T", "mnemonic": "M"}), {},
     {"title": "T", "mnemonic": "M"}),
    ("getInboundSource", lambda a: a.inbound_sources.get(ID), {"id": ID}, None),
    ("updateInboundSource", lambda a: a.inbound_sources.update(ID, {"title": "Ü"}), {"id": ID}, {"title": "Ü"}),
    ("deleteInboundSource", lambda a: a.inbound_sources.delete(ID), {"id": ID}, None),
    ("listInboundMappings", lambda a: a.inbound_mappings.list(), {}, None),
    ("createInboundMapping", lambda a: a.inbound_mappings.create({"sourceId": "s"}), {}, {"sourceId": "s"}),
    ("getInboundMapping", lambda a: a.inbound_mappings.get(ID), {"id": ID}, None),
    ("updateInboundMapping", lambda a: a.inbound_mappings.update(ID, {"priority": 2}), {"id": ID}, {"priority": 2}),
    ("deleteInboundMapping", lambda a: a.inbound_mappings.delete(ID), {"id": ID}, None),
    ("testInboundMapping", lambda a: a.inbound_mappings.test(ID, {"payload": {"a": [1, None]}}), {"id": ID},
     {"payload": {"a": [1, None]}}),
    ("listInteractions", lambda a: a.interactions.list(), {}, None),
    ("getInteraction", lambda a: a.interactions.get(ID), {"id": ID}, None),
    ("listEvents", lambda a: a.events.list(), {}, None),
    ("getEvent", lambda a: a.events.get(ID), {"id": ID}, None),
    ("replayEvent", lambda a: a.events.replay(ID), {"id": ID}, None),
    ("listTargets", lambda a: a.targets.list(), {}, None),
    ("createTarget", lambda a: a.targets.create({"name": "t", "url": "https://x"}), {}, {"name": "t", "url": "https://x"}),
    ("getTarget", lambda a: a.targets.get(ID), {"id": ID}, None),
    ("updateTarget", lambda a: a.targets.update(ID, {"active": False}), {"id": ID}, {"active": False}),
    ("deleteTarget", lambda a: a.targets.delete(ID), {"id": ID}, None),
    ("rotateTargetSigningSecret", lambda a: a.targets.rotate_secret(ID), {"id": ID}, None),
    ("listRoutes", lambda a: a.routes.list(), {}, None),
    ("createRoute", lambda a: a.routes.create({"mappingId": "m", "targetId": "t"}), {}, {"mappingId": "m", "targetId": "t"}),
    ("deleteRoute", lambda a: a.routes.delete(ID), {"id": ID}, None),
    ("listDeliveries", lambda a: a.deliveries.list(), {}, None),
    ("getDelivery", lambda a: a.deliveries.get(ID), {"id": ID}, None),
    ("retryDelivery", lambda a: a.deliveries.retry(ID), {"id": ID}, None),
    ("retryDeliveries", lambda a: a.deliveries.retry_many({"status": "dead", "targetId": "t"}), {},
     {"status": "dead", "targetId": "t"}),
    ("listApiTokens", lambda a: a.api_tokens.list(), {}, None),
    ("createApiToken", lambda a: a.api_tokens.create({"name": "n", "role": "reviewer"}), {}, {"name": "n", "role": "reviewer"}),
    ("deleteApiToken", lambda a: a.api_tokens.delete(ID), {"id": ID}, None),
    ("listSecrets", lambda a: a.secrets.list(), {}, None),
    ("putSecret", lambda a: a.secrets.put("STRIPE_KEY", {"value": "v"}), {"name": "STRIPE_KEY"}, {"value": "v"}),
    ("deleteSecret", lambda a: a.secrets.delete("STRIPE_KEY"), {"name": "STRIPE_KEY"}, None),
    ("listFlowVersions", lambda a: a.flow_versions.list(), {}, None),
    ("uploadFlowVersion", lambda a: a.flow_versions.upload({"files": {"a": "Yg=="}}), {}, {"files": {"a": "Yg=="}}),
    ("getFlowVersion", lambda a: a.flow_versions.get(ID), {"id": ID}, None),
    ("getFlowVersionEvidence", lambda a: a.flow_versions.evidence(ID), {"id": ID}, None),
    ("approveFlowVersion", lambda a: a.flow_versions.approve(ID, {"note": "ok"}), {"id": ID}, {"note": "ok"}),
    ("applyFlowVersion", lambda a: a.flow_versions.apply(ID), {"id": ID}, None),
    ("planFlowPackage", lambda a: a.providerflow.plan({"files": {}}), {}, {"files": {}}),
    ("applyFlowPackage", lambda a: a.providerflow.apply({"files": {}}), {}, {"files": {}}),
]

ANSWER = {"id": "x", "nested": {"list": [1, 2.5, True, None, "é"]}}


def echo(call: Dict[str, Any]) -> Answer:
    """200 with ANSWER, 204 for DELETE."""
    return Answer(204) if call["method"] == "DELETE" else Answer(200, ANSWER)


def expected_path(operation: str, params: Dict[str, str]) -> str:
    path = provenance.OPERATIONS[operation][1]
    for name, value in params.items():
        path = path.replace("{" + name + "}", urllib.parse.quote(value, safe=""))
    return path


class FakeCase(unittest.TestCase):
    """Starts fake servers and closes them after the test."""

    def fake(self, answer: Callable[[Dict[str, Any]], Any]) -> Fake:
        fake = Fake(answer)
        self.addCleanup(fake.close)
        return fake


class AsyncFakeCase(unittest.IsolatedAsyncioTestCase):
    def fake(self, answer: Callable[[Dict[str, Any]], Any]) -> Fake:
        fake = Fake(answer)
        self.addCleanup(fake.close)
        return fake

    async def open(self, fake: Fake, **options: Any) -> provenance.API:
        api = await provenance.api(url=fake.url, token=TOKEN, **options)
        self.addAsyncCleanup(api.aclose)
        return api


class OperationTable(unittest.TestCase):
    def test_the_table_has_the_format_the_project_test_reads(self):
        with open(OPS_FILE, encoding="utf-8") as f:
            tree = ast.parse(f.read())
        assigns = [node for node in tree.body if isinstance(node, ast.Assign)]
        self.assertEqual([ast.unparse(a.targets[0]) for a in assigns], ["OPERATIONS"])
        table = ast.literal_eval(assigns[0].value)
        self.assertEqual(table, provenance.OPERATIONS)
        for operation, (method, path) in table.items():
            self.assertIn(method, {"GET", "POST", "PUT", "PATCH", "DELETE"}, operation)
            self.assertTrue(path.startswith("/api/v1/"), operation)
        self.assertEqual(len(table), 43)

    def test_every_operation_has_an_sdk_method(self):
        self.assertEqual(sorted(op for op, *_ in CALLS), sorted(provenance.OPERATIONS))


class Configuration(FakeCase):
    def test_missing_url_or_token_is_an_error_before_any_request(self):
        fake = self.fake(echo)
        with mock.patch.dict(os.environ, NO_ENV):
            for make in (provenance.api, provenance.Client, provenance.api_sync):
                with self.assertRaises(provenance.ProvenanceError) as ctx:
                    make()
                self.assertIsNone(ctx.exception.status)
                self.assertIsNone(ctx.exception.body)
                self.assertIn("PROVENANCE_URL", str(ctx.exception))
                with self.assertRaises(provenance.ProvenanceError) as ctx:
                    make(url=fake.url)
                self.assertIsNone(ctx.exception.status)
                self.assertEqual(str(ctx.exception), "provenance.api failed: no token: pass token= or set "
                                                     "PROVENANCE_TOKEN (an API token, prv_...)")
        self.assertEqual(fake.calls, [])

    def test_bad_settings_are_refused(self):
        for options in ({"url": "ftp://x"}, {"url": "localhost:3000"}, {"url": "http://user:pw@x"},
                        {"url": "http://x?a=1"}, {"url": "http://x:notaport"}, {"timeout": 0}, {"timeout": -1},
                        {"timeout": "5"}, {"retries": -1}, {"retries": 1.5}, {"token": "prv_a b"},
                        {"token": "prv_\nx"}, {"org": "a\r\nx: y"}):
            settings = {"url": "http://127.0.0.1:9", "token": TOKEN, **options}
            with self.subTest(options=options), self.assertRaises(provenance.ProvenanceError) as ctx:
                provenance.Client(**settings)
            self.assertIsNone(ctx.exception.status)
            self.assertNotIn("prv_", str(ctx.exception))

    def test_the_environment_is_read_and_explicit_arguments_win(self):
        fake = self.fake(echo)
        env = {"PROVENANCE_URL": fake.url, "PROVENANCE_TOKEN": "prv_from_env", "PROVENANCE_ORG": "acme"}
        with mock.patch.dict(os.environ, env):
            with provenance.Client() as api:
                self.assertEqual(api.url, fake.url)
                self.assertEqual(api.org, "acme")
                api.inbound_sources.list()
            with provenance.Client(token=TOKEN, org="other", timeout=5, retries=0) as api:
                api.inbound_sources.list()
            with mock.patch.dict(os.environ, {"PROVENANCE_ORG": ""}):
                with provenance.api_sync() as api:
                    api.inbound_sources.list()
        first, second, third = (call["headers"] for call in fake.calls)
        self.assertEqual(first["authorization"], "Bearer prv_from_env")
        self.assertEqual(first["x-provenance-org"], "acme")
        self.assertEqual(second["authorization"], f"Bearer {TOKEN}")
        self.assertEqual(second["x-provenance-org"], "other")
        self.assertNotIn("x-provenance-org", third)
        self.assertEqual(first["user-agent"], "provenance-sdk-python/1.0.0")
        self.assertEqual(first["accept"], "application/json")
        self.assertNotIn("content-type", first)

    def test_a_base_url_with_a_path_prefix(self):
        fake = self.fake(echo)
        with provenance.Client(url=fake.url + "/provenance/", token=TOKEN) as api:
            api.events.get("e1")
        self.assertEqual(fake.calls[0]["path"], "/provenance/api/v1/events/e1")


class Requests(AsyncFakeCase):
    async def test_every_method_of_the_async_client_goes_through_the_table(self):
        fake = self.fake(echo)
        api = await self.open(fake)
        for operation, call, params, body in CALLS:
            with self.subTest(operation=operation):
                result = await call(api)
                self.check_call(fake.calls[-1], operation, params, body, result)
        self.assertEqual(len(fake.calls), len(CALLS))

    def test_every_method_of_the_sync_client_goes_through_the_table(self):
        fake = Fake(echo)
        self.addCleanup(fake.close)
        with provenance.Client(url=fake.url, token=TOKEN) as api:
            for operation, call, params, body in CALLS:
                with self.subTest(operation=operation):
                    result = call(api)
                    self.check_call(fake.calls[-1], operation, params, body, result)
        self.assertEqual(len(fake.calls), len(CALLS))

    def check_call(self, seen: Dict[str, Any], operation: str, params: Dict[str, str], body: Any, result: Any) -> None:
        method, _ = provenance.OPERATIONS[operation]
        self.assertEqual((seen["method"], seen["path"]), (method, expected_path(operation, params)))
        self.assertEqual(None if seen["body"] is None else json.loads(seen["body"]), body)
        if body is not None:
            self.assertEqual(seen["headers"]["content-type"], "application/json")
        elif method in ("POST", "PUT", "PATCH"):
            self.assertEqual(seen["headers"]["content-length"], "0")
        self.assertEqual(result, None if method == "DELETE" else ANSWER)

    async def test_keyword_filters_become_the_api_query_names_and_none_is_left_out(self):
        fake = self.fake(echo)
        api = await self.open(fake)
        await api.inbound_mappings.list(source_id="s1")
        await api.events.list(status="failed", limit=5, source_id=None, cursor="a b&c")
        await api.interactions.list(source_id="s1", resource_type="payment", action="succeeded")
        await api.routes.list(mapping_id="m1", target_id="t1")
        await api.deliveries.list(status="dead", target_id="t1", interaction_id="i1", limit=1)
        await api.flow_versions.list(package="stripe-payments")
        await api.targets.list(limit=2)
        await api.events.list({"sourceId": "raw", "future": True}, status="queued")
        await api.deliveries.retry_many(status="failed", target_id="t9")
        await api.deliveries.retry_many({"status": "dead"})
        await api.secrets.put("K", "just-the-value")
        self.assertEqual([c["path"] for c in fake.calls], [
            "/api/v1/inbound-mappings?sourceId=s1",
            "/api/v1/events?status=failed&limit=5&cursor=a%20b%26c",
            "/api/v1/interactions?sourceId=s1&resourceType=payment&action=succeeded",
            "/api/v1/routes?mappingId=m1&targetId=t1",
            "/api/v1/deliveries?status=dead&targetId=t1&interactionId=i1&limit=1",
            "/api/v1/providerflow/versions?package=stripe-payments",
            "/api/v1/targets?limit=2",
            "/api/v1/events?sourceId=raw&future=true&status=queued",
            "/api/v1/deliveries/retry",
            "/api/v1/deliveries/retry",
            "/api/v1/secrets/K",
        ])
        self.assertEqual([c["body"] for c in fake.calls[-3:]],
                         ['{"status":"failed","targetId":"t9"}', '{"status":"dead"}', '{"value":"just-the-value"}'])

    async def test_a_delete_returns_none_even_when_the_server_sends_json(self):
        fake = self.fake(lambda call: Answer(200, {"deleted": True}))
        api = await self.open(fake)
        self.assertIsNone(await api.targets.delete("t1"))
        self.assertEqual(await api.targets.get("t1"), {"deleted": True})

    async def test_a_path_id_must_be_a_non_empty_string(self):
        fake = self.fake(echo)
        api = await self.open(fake)
        for bad in ("", None, {"id": "x"}):
            with self.subTest(id=bad), self.assertRaises(provenance.ProvenanceError) as ctx:
                await api.events.get(bad)  # type: ignore[arg-type]
            self.assertEqual(str(ctx.exception), "events.get failed: id must be a non-empty string")
            self.assertIsNone(ctx.exception.status)
        self.assertEqual(fake.calls, [])

    async def test_a_body_that_is_not_json_is_refused_before_sending(self):
        fake = self.fake(echo)
        api = await self.open(fake)
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await api.inbound_sources.create({"when": object()})
        self.assertTrue(str(ctx.exception).startswith("inbound_sources.create failed: the body is not JSON"))
        self.assertEqual(fake.calls, [])

    async def test_chunked_answers_with_extensions_and_trailers(self):
        big = {"data": [{"id": str(i), "text": "x" * 100} for i in range(200)], "nextCursor": None}
        fake = self.fake(lambda call: Answer(200, big, chunked=True))
        api = await self.open(fake)
        self.assertEqual(await api.events.list(), big)
        self.assertEqual(await api.events.list(), big)
        self.assertEqual(len(fake.ports), 1)

    def test_the_sync_client_reads_chunked_answers_too(self):
        fake = self.fake(lambda call: Answer(200, {"data": ["é" * 50]}, chunked=True))
        with provenance.Client(url=fake.url, token=TOKEN) as sync:
            self.assertEqual(sync.events.list(), {"data": ["é" * 50]})


class Errors(AsyncFakeCase):
    async def test_status_body_and_a_message_naming_method_status_and_error(self):
        details = [{"path": "/mnemonic", "message": "is taken"}]
        fake = self.fake(lambda call: Answer(409, {"error": "Conflict", "details": details}, {"x-request-id": "req-1"}))
        api = await self.open(fake)
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await api.inbound_sources.create({"title": "S", "mnemonic": "S"})
        error = ctx.exception
        self.assertEqual(error.status, 409)
        self.assertEqual(error.body, {"error": "Conflict", "details": details})
        self.assertEqual(str(error), "inbound_sources.create failed: 409 Conflict")
        self.assertEqual(error.method, "inbound_sources.create")
        self.assertEqual(error.request_id, "req-1")
        copy = pickle.loads(pickle.dumps(error))
        self.assertEqual((str(copy), copy.status, copy.body), (str(error), 409, error.body))

    async def test_404_from_the_async_client(self):
        fake = self.fake(lambda call: Answer(404, {"error": "Not found"}))
        api = await self.open(fake)
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await api.inbound_sources.get("nope")
        self.assertEqual((ctx.exception.status, ctx.exception.body), (404, {"error": "Not found"}))
        self.assertEqual(str(ctx.exception), "inbound_sources.get failed: 404 Not found")

    def test_404_from_the_sync_client(self):
        fake = self.fake(lambda call: Answer(404, {"error": "Not found"}))
        with provenance.Client(url=fake.url, token=TOKEN) as sync, self.assertRaises(provenance.ProvenanceError) as ctx:
            sync.inbound_sources.get("nope")
        self.assertEqual((ctx.exception.status, ctx.exception.body), (404, {"error": "Not found"}))
        self.assertEqual(str(ctx.exception), "inbound_sources.get failed: 404 Not found")

    async def test_an_answer_that_is_not_json(self):
        fake = self.fake(lambda call: Answer(500, raw=b"<html>oops</html>") if call["n"] == 1 else Answer(200, raw=b"nope"))
        api = await self.open(fake)
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await api.events.replay("e1")
        self.assertEqual((ctx.exception.status, ctx.exception.body), (500, None))
        self.assertEqual(str(ctx.exception), "events.replay failed: 500 Internal Server Error")
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await api.events.replay("e1")
        self.assertEqual(str(ctx.exception), "events.replay failed: 200 the answer is not JSON")

    async def test_a_network_error_has_no_status(self):
        fake = self.fake(echo)
        url = fake.url
        fake.close()
        api = await provenance.api(url=url, token=TOKEN, retries=0)
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await api.events.list()
        self.assertIsNone(ctx.exception.status)
        self.assertIsNone(ctx.exception.body)
        self.assertTrue(str(ctx.exception).startswith("events.list failed: network error: "), str(ctx.exception))
        await api.aclose()

    async def test_a_closed_client_refuses_calls(self):
        fake = self.fake(echo)
        api = await provenance.api(url=fake.url, token=TOKEN)
        await api.aclose()
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await api.events.list()
        self.assertEqual(str(ctx.exception), "events.list failed: the client is closed")
        sync = provenance.Client(url=fake.url, token=TOKEN)
        sync.close()
        with self.assertRaises(provenance.ProvenanceError):
            sync.events.list()
        self.assertEqual(fake.calls, [])


class TokenSecrecy(AsyncFakeCase):
    async def test_the_token_is_in_no_repr_message_or_log(self):
        fake = self.fake(lambda call: Answer(503, {"error": "Server busy, retry later"}, {"retry-after": "0"})
                         if call["path"].startswith("/api/v1/events") else Answer(401, {"error": "Unauthorized"}))
        slow = self.fake(lambda call: Answer(200, {}, delay=0.5))
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        logger = logging.getLogger("provenance")
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        self.addCleanup(logger.removeHandler, handler)
        self.addCleanup(logger.setLevel, logging.NOTSET)

        api = await self.open(fake)
        sync = provenance.Client(url=fake.url, token=TOKEN)
        self.addCleanup(sync.close)
        shown: List[str] = [repr(api), str(api), repr(sync), repr(api.events), repr(sync.inbound_sources),
                            repr(api._config), repr(api._transport.__dict__)]
        errors: List[provenance.ProvenanceError] = []
        for attempt in (lambda: api.events.list(), lambda: api.inbound_sources.get("x")):
            try:
                await attempt()
            except provenance.ProvenanceError as error:
                errors.append(error)
        timed = await self.open(slow, timeout=0.1)
        try:
            await timed.events.get("e1")
        except provenance.ProvenanceError as error:
            errors.append(error)
        try:
            provenance.Client(url="ftp://nowhere", token=TOKEN)
        except provenance.ProvenanceError as error:
            errors.append(error)
        self.assertEqual([e.status for e in errors], [503, 401, None, None])
        for error in errors:
            shown += [str(error), repr(error), repr(vars(error)), repr(error.args)]
        shown.append(stream.getvalue())
        self.assertIn("retry 2 of 2", stream.getvalue())
        for text in shown:
            self.assertNotIn(TOKEN, text)
            self.assertNotIn("Bearer", text)
        self.assertEqual(fake.calls[0]["headers"]["authorization"], f"Bearer {TOKEN}")  # it was sent, though


class Timeouts(AsyncFakeCase):
    async def test_a_timeout_has_no_status_says_so_and_is_not_retried(self):
        fake = self.fake(lambda call: Answer(200, {}, delay=0.6))
        api = await self.open(fake, timeout=0.2)
        started = time.monotonic()
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await api.events.get("e1")
        self.assertLess(time.monotonic() - started, 0.5)
        self.assertIsNone(ctx.exception.status)
        self.assertEqual(str(ctx.exception), "events.get failed: timed out after 0.2 s")
        self.assertEqual(len(fake.calls), 1)

    def test_the_sync_client_times_out_the_same_way(self):
        fake = self.fake(lambda call: Answer(200, {}, delay=0.6))
        with provenance.Client(url=fake.url, token=TOKEN, timeout=0.2) as sync:
            started = time.monotonic()
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                sync.events.get("e1")
            self.assertLess(time.monotonic() - started, 0.5)
        self.assertIsNone(ctx.exception.status)
        self.assertEqual(str(ctx.exception), "events.get failed: timed out after 0.2 s")
        self.assertEqual(len(fake.calls), 1)

    async def test_the_async_timeout_bounds_the_whole_attempt(self):
        # The answer starts at once but its body trickles in: no single read waits long.
        fake = self.fake(lambda call: Answer(200, {"data": "x" * 40}, drip=0.02))
        api = await self.open(fake, timeout=0.3)
        started = time.monotonic()
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await api.events.list()
        self.assertLess(time.monotonic() - started, 0.6)
        self.assertEqual(str(ctx.exception), "events.list failed: timed out after 0.3 s")

    async def test_the_client_stays_usable_after_a_timeout(self):
        fake = self.fake(lambda call: Answer(200, {"n": call["n"]}, delay=0.5 if call["n"] == 1 else 0))
        api = await self.open(fake, timeout=0.2)
        with self.assertRaises(provenance.ProvenanceError):
            await api.events.get("e1")
        self.assertEqual(await api.events.get("e1"), {"n": 2})


class Retries(AsyncFakeCase):
    async def test_get_and_delete_are_retried_on_502_503_504(self):
        def answer(call: Dict[str, Any]) -> Answer:
            status = {1: 503, 2: 502, 3: 200, 4: 504, 5: 204}[call["n"]]
            return Answer(status, {"data": []} if status == 200 else None, {"retry-after": "0"})

        fake = self.fake(answer)
        api = await self.open(fake)
        self.assertEqual(await api.inbound_sources.list(), {"data": []})
        self.assertIsNone(await api.routes.delete("r1"))
        self.assertEqual([c["method"] for c in fake.calls], ["GET"] * 3 + ["DELETE"] * 2)

    def test_the_sync_client_retries_the_same_way(self):
        fake = self.fake(lambda call: Answer(503, None, {"retry-after": "0"}) if call["n"] == 1 else Answer(200, {"ok": 1}))
        with provenance.Client(url=fake.url, token=TOKEN) as api:
            self.assertEqual(api.events.get("e"), {"ok": 1})
        self.assertEqual(len(fake.calls), 2)

    async def test_post_patch_and_put_are_never_retried(self):
        fake = self.fake(lambda call: Answer(503, {"error": "Server busy, retry later"}, {"retry-after": "0"}))
        api = await self.open(fake, retries=5)
        for call in (lambda: api.events.replay("e1"), lambda: api.inbound_mappings.update("m1", {}),
                     lambda: api.secrets.put("A", {"value": "v"}), lambda: api.inbound_mappings.test("m", {"payload": 1})):
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                await call()
            self.assertEqual(ctx.exception.status, 503)
            self.assertEqual(str(ctx.exception).split(" failed: ")[1], "503 Server busy, retry later")
        self.assertEqual([c["method"] for c in fake.calls], ["POST", "PATCH", "PUT", "POST"])

    def test_the_sync_client_never_retries_a_post_either(self):
        fake = self.fake(lambda call: Answer(503, {"error": "Server busy, retry later"}, {"retry-after": "0"}))
        with provenance.Client(url=fake.url, token=TOKEN, retries=5) as sync:
            for call in (lambda: sync.deliveries.retry("d1"), lambda: sync.targets.update("t", {})):
                with self.assertRaises(provenance.ProvenanceError) as ctx:
                    call()
                self.assertEqual(ctx.exception.status, 503)
        self.assertEqual([c["method"] for c in fake.calls], ["POST", "PATCH"])

    async def test_gives_up_after_the_retries_with_the_last_answer(self):
        fake = self.fake(lambda call: Answer(503, {"error": "Server busy, retry later"}, {"retry-after": "0"}))
        api = await self.open(fake, retries=1)
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await api.events.list()
        self.assertEqual((ctx.exception.status, ctx.exception.body), (503, {"error": "Server busy, retry later"}))
        self.assertEqual(len(fake.calls), 2)
        no_retries = await self.open(fake, retries=0)
        with self.assertRaises(provenance.ProvenanceError):
            await no_retries.events.list()
        self.assertEqual(len(fake.calls), 3)

    async def test_other_errors_are_not_retried(self):
        fake = self.fake(lambda call: Answer(500, {"error": "Internal error"}) if call["n"] == 1 else Answer(429, {}))
        api = await self.open(fake)
        for _ in range(2):
            with self.assertRaises(provenance.ProvenanceError):
                await api.events.list()
        self.assertEqual(len(fake.calls), 2)

    async def test_a_get_is_retried_after_a_connection_error_a_post_is_not(self):
        fake = self.fake(lambda call: Answer(drop=True) if call["n"] in (1, 3) else Answer(200, {"ok": call["n"]}))
        api = await self.open(fake)
        self.assertEqual(await api.events.get("e1"), {"ok": 2})
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await api.events.replay("e1")
        self.assertIsNone(ctx.exception.status)
        self.assertIn("network error", str(ctx.exception))
        self.assertEqual([c["method"] for c in fake.calls], ["GET", "GET", "POST"])

    def test_the_sync_client_retries_a_get_after_a_connection_error_not_a_post(self):
        fake = self.fake(lambda call: Answer(drop=True) if call["n"] in (1, 3) else Answer(200, {"ok": call["n"]}))
        with provenance.Client(url=fake.url, token=TOKEN) as sync:
            self.assertEqual(sync.events.get("e"), {"ok": 2})
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                sync.events.replay("e1")
        self.assertIsNone(ctx.exception.status)
        self.assertIn("network error", str(ctx.exception))
        self.assertEqual([c["method"] for c in fake.calls], ["GET", "GET", "POST"])

    async def test_retry_after_is_honoured(self):
        fake = self.fake(lambda call: Answer(503, None, {"retry-after": "1"}) if call["n"] == 1 else Answer(200, {}))
        api = await self.open(fake)
        started = time.monotonic()
        await api.events.list()
        self.assertGreaterEqual(time.monotonic() - started, 0.95)

    def test_backoff_grows_and_retry_after_is_capped(self):
        self.assertEqual(_core.backoff(0, "3"), 3.0)
        self.assertEqual(_core.backoff(0, "0.5"), 0.5)
        self.assertEqual(_core.backoff(0, "86400"), _core.MAX_RETRY_AFTER)
        self.assertEqual(_core.MAX_RETRY_AFTER, 10.0)
        self.assertEqual(_core.backoff(0, "Wed, 21 Oct 2015 07:28:00 GMT"), 0.0)  # a date in the past
        soon = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 4))
        self.assertTrue(2.5 <= _core.backoff(0, soon) <= 4.0)
        for attempt, (low, high) in enumerate([(0.125, 0.25), (0.25, 0.5), (0.5, 1.0)]):
            for told in (None, "soon"):  # absent or unreadable: exponential with jitter
                self.assertTrue(low <= _core.backoff(attempt, told) <= high)


class Pages(AsyncFakeCase):
    PAGES = {None: {"data": [{"id": "a"}, {"id": "b"}], "nextCursor": "c1"},
             "c1": {"data": [{"id": "c"}], "nextCursor": "c2"},
             "c2": {"data": [], "nextCursor": None}}

    def answer(self, call: Dict[str, Any]) -> Answer:
        cursor = urllib.parse.parse_qs(urllib.parse.urlsplit(call["path"]).query).get("cursor", [None])[0]
        return Answer(200, self.PAGES[cursor])

    async def test_iterate_walks_every_page_keeping_the_filters(self):
        fake = self.fake(self.answer)
        async with provenance.api(url=fake.url, token=TOKEN) as api:
            ids = [e["id"] async for e in api.events.iterate(status="failed", source_id="s1", limit=2)]
        self.assertEqual(ids, ["a", "b", "c"])
        self.assertEqual([c["path"] for c in fake.calls], [
            "/api/v1/events?sourceId=s1&status=failed&limit=2",
            "/api/v1/events?sourceId=s1&status=failed&limit=2&cursor=c1",
            "/api/v1/events?sourceId=s1&status=failed&limit=2&cursor=c2",
        ])

    PAGED = ["events", "interactions", "targets", "routes", "deliveries", "flow_versions"]
    PAGED_PATHS = {provenance.OPERATIONS[op][1] for op in (
        "listEvents", "listInteractions", "listTargets", "listRoutes", "listDeliveries", "listFlowVersions")}

    async def test_every_paged_list_iterates_on_the_async_client(self):
        fake = self.fake(self.answer)
        api = await self.open(fake)
        for name in self.PAGED:
            with self.subTest(resource=name):
                self.assertEqual([x["id"] async for x in getattr(api, name).iterate()], ["a", "b", "c"])
        self.assertEqual({urllib.parse.urlsplit(c["path"]).path for c in fake.calls}, self.PAGED_PATHS)
        self.assertEqual(len(fake.calls), 3 * len(self.PAGED))

    def test_every_paged_list_iterates_on_the_sync_client(self):
        fake = self.fake(self.answer)
        with provenance.Client(url=fake.url, token=TOKEN) as sync:
            for name in self.PAGED:
                with self.subTest(resource=name):
                    before = len(fake.calls)
                    pages = getattr(sync, name).iterate(limit=2)
                    self.assertEqual(len(fake.calls), before)  # lazy: nothing asked yet
                    self.assertEqual([x["id"] for x in pages], ["a", "b", "c"])
        self.assertEqual({urllib.parse.urlsplit(c["path"]).path for c in fake.calls}, self.PAGED_PATHS)
        self.assertEqual(len(fake.calls), 3 * len(self.PAGED))

    async def test_iterate_starts_at_a_cursor_and_is_lazy(self):
        fake = self.fake(self.answer)
        api = await self.open(fake)
        pages = api.deliveries.iterate(cursor="c1", target_id="t")
        self.assertEqual(fake.calls, [])
        self.assertEqual([d["id"] async for d in pages], ["c"])
        self.assertEqual(fake.calls[0]["path"], "/api/v1/deliveries?targetId=t&cursor=c1")

    async def test_an_error_on_a_later_page_names_iterate(self):
        fake = self.fake(lambda call: Answer(200, {"data": [{"id": "a"}], "nextCursor": "n"}) if call["n"] == 1
                         else Answer(400, {"error": "Validation failed", "details": []}))
        api = await self.open(fake)
        seen = []
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            async for item in api.interactions.iterate():
                seen.append(item["id"])
        self.assertEqual(seen, ["a"])
        self.assertEqual(str(ctx.exception), "interactions.iterate failed: 400 Validation failed")


class Connections(AsyncFakeCase):
    async def test_calls_share_a_kept_alive_connection_which_aclose_closes(self):
        fake = self.fake(echo)
        api = await provenance.api(url=fake.url, token=TOKEN)
        for _ in range(3):
            await api.events.get("e")
        await api.inbound_sources.create({"title": "t"})
        self.assertEqual(len(fake.ports), 1)
        self.assertEqual(len({c["port"] for c in fake.calls}), 1)
        self.assertEqual(fake.closed, [])
        await api.aclose()
        self.assertTrue(fake.wait_closed(1), "aclose() left the connection open")

    async def test_async_with_closes_the_connections(self):
        fake = self.fake(echo)
        async with provenance.api(url=fake.url, token=TOKEN) as api:
            await asyncio.gather(*(api.events.get(str(i)) for i in range(5)))
            opened = len(fake.ports)
            self.assertGreaterEqual(opened, 1)
        self.assertTrue(fake.wait_closed(opened))

    async def test_concurrent_calls_each_get_their_answer(self):
        fake = self.fake(lambda call: Answer(200, {"path": call["path"]}, delay=0.05))
        api = await self.open(fake)
        results = await asyncio.gather(*(api.events.get(f"e{i}") for i in range(10)))
        self.assertEqual([r["path"] for r in results], [f"/api/v1/events/e{i}" for i in range(10)])

    async def test_a_connection_the_server_closed_meanwhile_is_not_reused(self):
        fake = self.fake(lambda call: Answer(200, {"n": call["n"]}, close=call["n"] == 1))
        api = await self.open(fake)
        await api.events.get("e")
        self.assertTrue(fake.wait_closed(1))
        self.assertEqual(await api.events.replay("e"), {"n": 2})  # a POST: no second chance needed
        self.assertEqual(len(fake.ports), 2)

    def test_the_sync_client_keeps_connections_alive_and_close_closes_them(self):
        fake = Fake(echo)
        self.addCleanup(fake.close)
        api = provenance.Client(url=fake.url, token=TOKEN)
        for _ in range(3):
            api.events.get("e")
        self.assertEqual(len(fake.ports), 1)
        api.close()
        self.assertTrue(fake.wait_closed(1))

    def test_a_client_used_in_two_event_loops_in_turn(self):
        fake = Fake(echo)
        self.addCleanup(fake.close)
        api = provenance.api(url=fake.url, token=TOKEN)
        self.assertEqual(asyncio.run(api.events.get("e")), ANSWER)
        with warnings.catch_warnings():  # the closed loop's transport is only collected later
            warnings.simplefilter("ignore", ResourceWarning)
            self.assertEqual(asyncio.run(api.events.get("e")), ANSWER)  # the first loop's connection ends with it
            self.assertTrue(fake.wait_closed(1))
            gc.collect()
        self.assertEqual(len(fake.ports), 2)
        asyncio.run(api.aclose())
        self.assertTrue(fake.wait_closed(2))

if __name__ == "__main__":
    unittest.main()
