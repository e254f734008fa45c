"""Against a running Provenance: PROVENANCE_URL, PROVENANCE_TOKEN (an admin token),
PROVENANCE_TEST_REVIEWER_TOKEN (a reviewer token of the same org), PROVENANCE_TEST_ORG (its
slug). Skipped without PROVENANCE_URL. Everything is created under unique names and removed
afterwards; nothing else in the org is touched or assumed."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import sys
import time
import unittest
import urllib.error
import urllib.request
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
if os.path.dirname(HERE) not in sys.path:
    sys.path.insert(0, os.path.dirname(HERE))  # the SDK itself, without installing it

import provenance  # noqa: E402

URL = os.environ.get("PROVENANCE_URL", "").rstrip("/")
TOKEN = os.environ.get("PROVENANCE_TOKEN", "")
REVIEWER = os.environ.get("PROVENANCE_TEST_REVIEWER_TOKEN", "")
ORG = os.environ.get("PROVENANCE_TEST_ORG", "") or os.environ.get("PROVENANCE_ORG", "")
SECRET = "whsec_python_sdk_" + uuid.uuid4().hex
PACKAGE = os.path.join(HERE, "..", "..", "..", "providerflow", "packages", "stripe-payments")

needs_app = unittest.skipUnless(URL and TOKEN, "live: needs PROVENANCE_URL and PROVENANCE_TOKEN")
needs_reviewer = unittest.skipUnless(REVIEWER, "live: needs PROVENANCE_TEST_REVIEWER_TOKEN")
needs_org = unittest.skipUnless(ORG, "live: needs PROVENANCE_TEST_ORG (the org slug of the inbound URL)")


def body_of(error: provenance.ProvenanceError) -> Dict[str, Any]:
    assert error.body is not None, f"no JSON error body: {error}"
    return error.body


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def stripe_event(event_id: str, object_id: str, kind: str = "payment_intent.succeeded") -> Dict[str, Any]:
    return {"id": event_id, "type": kind, "created": int(time.time()),
            "data": {"object": {"id": object_id, "amount": 2000, "currency": "eur"}}}


def send_webhook(mnemonic: str, payload: Dict[str, Any], secret: str = SECRET) -> Tuple[int, Dict[str, Any]]:
    """POSTs ``payload`` to the source's inbound URL with ?sync=true, signed as Stripe signs."""
    body = json.dumps(payload)
    ts = str(int(time.time()))
    sig = hmac.new(secret.encode(), f"{ts}.{body}".encode(), hashlib.sha256).hexdigest()
    req = urllib.request.Request(f"{URL}/api/inbound/{ORG}/by-mnemonic/{mnemonic}?sync=true", data=body.encode(),
                                 method="POST", headers={"content-type": "application/json",
                                                         "stripe-signature": f"t={ts},v1={sig}"})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@needs_app
class LiveCase(unittest.IsolatedAsyncioTestCase):
    """An admin client per test, and removal of whatever the test created (last first)."""

    api: provenance.API

    async def asyncSetUp(self) -> None:
        self.api = await provenance.api(url=URL, token=TOKEN)
        self.addAsyncCleanup(self.api.aclose)

    def remove_later(self, delete: Callable[[str], Awaitable[None]], id: str) -> None:
        async def remove() -> None:
            try:
                await delete(id)
            except provenance.ProvenanceError as error:
                if error.status != 404:  # already gone is fine
                    raise

        self.addAsyncCleanup(remove)

    async def source(self, **extra: Any) -> Dict[str, Any]:
        body = {"title": "Python SDK test", "mnemonic": unique("py"),
                "verification": {"preset": "stripe", "secret": SECRET}, **extra}
        source = await self.api.inbound_sources.create(body)
        self.remove_later(self.api.inbound_sources.delete, source["id"])
        return source

    async def mapping(self, source_id: str, **extra: Any) -> Dict[str, Any]:
        body = {"sourceId": source_id, "resourceType": "payment", "action": "succeeded",
                "resourceIdPath": "data.object.id", "idempotencyPath": "id",
                "conditions": [{"path": "type", "op": "eq", "value": "payment_intent.succeeded"}], **extra}
        mapping = await self.api.inbound_mappings.create(body)
        self.remove_later(self.api.inbound_mappings.delete, mapping["id"])
        return mapping

    async def target(self, **extra: Any) -> Dict[str, Any]:
        # The app itself answers 404 there: every delivery fails its one attempt and is dead.
        body = {"name": unique("py-target"), "url": f"{URL}/api/python-sdk-test-nothing-here",
                "retry": {"maxAttempts": 1}, **extra}
        target = await self.api.targets.create(body)
        self.remove_later(self.api.targets.delete, target["id"])
        return target


class ProductDocumentSnippet(LiveCase):
    async def test_the_python_sdk_snippet_runs_as_written(self):
        mnemonic = unique("STRIPE")
        payload = stripe_event("evt_seed_1", "pi_seed_1")
        mapping_body = {"resourceType": "payment", "action": "succeeded", "resourceIdPath": "data.object.id",
                        "idempotencyPath": "id", "fieldMappings": {"amount": "data.object.amount"},
                        "conditions": [{"path": "type", "op": "eq", "value": "payment_intent.succeeded"}]}

        # --- inbound-pipeline.txt, "SDK support", Python SDK, with its "..." filled in ---
        api = await provenance.api()

        sources = await api.inbound_sources.list()
        source = await api.inbound_sources.create({"title": "Stripe", "mnemonic": mnemonic,
                                                   "verification": {"preset": "stripe", "secret": SECRET}})
        mapping_id = (await api.inbound_mappings.create({"sourceId": source["id"], **mapping_body}))["id"]

        mappings = await api.inbound_mappings.list()
        result = await api.inbound_mappings.test(mapping_id, {"payload": payload})
        # --- end of the snippet ---

        try:
            self.assertIsInstance(sources["data"], list)
            self.assertEqual((source["title"], source["mnemonic"]), ("Stripe", mnemonic))
            self.assertEqual(source["verification"]["preset"], "stripe")
            self.assertNotIn(SECRET, json.dumps(source))  # the secret is write-only
            self.assertIn(mapping_id, [m["id"] for m in mappings["data"]])
            self.assertEqual(set(result), {"matched", "conditions", "schemaErrors", "interaction", "duplicate"})
            self.assertIs(result["matched"], True)
            self.assertIs(result["duplicate"], False)
            self.assertEqual(result["schemaErrors"], [])
            self.assertEqual(result["conditions"], [{"path": "type", "op": "eq", "value": "payment_intent.succeeded",
                                                     "actual": "payment_intent.succeeded", "pass": True}])
            interaction = result["interaction"]
            self.assertEqual((interaction["resourceType"], interaction["action"], interaction["resourceId"],
                              interaction["idempotencyKey"]), ("payment", "succeeded", "pi_seed_1", "evt_seed_1"))
            self.assertEqual(interaction["object"]["amount"], 2000)
            other = await api.inbound_mappings.test(mapping_id, {"payload": stripe_event("e2", "x", "charge.refunded"),
                                                                 "headers": {"x-test": "1"}})
            self.assertEqual((other["matched"], other["interaction"]), (False, None))
        finally:
            await api.inbound_sources.delete(source["id"])  # its mappings go with it
            await api.aclose()
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await self.api.inbound_mappings.get(mapping_id)
        self.assertEqual(ctx.exception.status, 404)


class Sources(LiveCase):
    async def test_create_get_update_list_and_delete(self):
        source = await self.source(description="made by the Python SDK tests")
        self.assertEqual(source["description"], "made by the Python SDK tests")
        self.assertIs(source["active"], True)
        self.assertEqual(await self.api.inbound_sources.get(source["id"]), source)
        updated = await self.api.inbound_sources.update(source["id"], {"title": "Renamed", "active": False})
        self.assertEqual((updated["id"], updated["title"], updated["active"]), (source["id"], "Renamed", False))
        listed = {s["id"]: s for s in (await self.api.inbound_sources.list())["data"]}
        self.assertEqual(listed[source["id"]]["title"], "Renamed")
        self.assertIsNone(await self.api.inbound_sources.delete(source["id"]))
        self.assertNotIn(source["id"], [s["id"] for s in (await self.api.inbound_sources.list())["data"]])
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await self.api.inbound_sources.get(source["id"])
        self.assertEqual((ctx.exception.status, ctx.exception.body), (404, {"error": "Not found"}))
        self.assertEqual(str(ctx.exception), "inbound_sources.get failed: 404 Not found")
        self.assertTrue(ctx.exception.request_id)

    async def test_a_taken_mnemonic_is_a_409(self):
        source = await self.source()
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await self.api.inbound_sources.create({"title": "Again", "mnemonic": source["mnemonic"]})
        self.assertEqual(ctx.exception.status, 409)
        self.assertEqual(str(ctx.exception), f"inbound_sources.create failed: 409 {body_of(ctx.exception)['error']}")


class Mappings(LiveCase):
    async def test_create_get_update_list_by_source_and_delete(self):
        source = await self.source()
        other = await self.source()
        mapping = await self.mapping(source["id"], title="Paid")
        second = await self.mapping(source["id"], resourceType="refund", action="created")
        await self.mapping(other["id"])
        self.assertEqual((mapping["sourceId"], mapping["title"], mapping["resourceType"], mapping["action"]),
                         (source["id"], "Paid", "payment", "succeeded"))
        self.assertEqual(await self.api.inbound_mappings.get(mapping["id"]), mapping)
        updated = await self.api.inbound_mappings.update(mapping["id"], {"priority": 7, "active": False})
        self.assertEqual((updated["priority"], updated["active"]), (7, False))
        by_source = await self.api.inbound_mappings.list(source_id=source["id"])
        self.assertEqual(sorted(m["id"] for m in by_source["data"]), sorted([mapping["id"], second["id"]]))
        everything = [m["id"] for m in (await self.api.inbound_mappings.list())["data"]]
        self.assertTrue({mapping["id"], second["id"]} <= set(everything))
        self.assertIsNone(await self.api.inbound_mappings.delete(second["id"]))
        self.assertEqual([m["id"] for m in (await self.api.inbound_mappings.list(source_id=source["id"]))["data"]],
                         [mapping["id"]])

    async def test_a_dry_run_reports_schema_errors_and_writes_nothing(self):
        source = await self.source()
        schema = {"type": "object", "required": ["id", "data"],
                  "properties": {"id": {"type": "string"}, "data": {"type": "object"}}}
        mapping = await self.mapping(source["id"], payloadSchema=schema, conditions=[])
        result = await self.api.inbound_mappings.test(mapping["id"], {"payload": {"id": 5}})
        self.assertIsNone(result["interaction"])
        self.assertGreaterEqual(len(result["schemaErrors"]), 1)
        self.assertTrue(all("path" in e and "message" in e for e in result["schemaErrors"]))
        page = await self.api.interactions.list(source_id=source["id"])
        self.assertEqual(page["data"], [])


class TargetsAndRoutes(LiveCase):
    async def test_targets_crud_pages_and_secret_rotation(self):
        target = await self.target()
        self.assertTrue(target["signingSecret"].startswith("whsec_"))
        fetched = await self.api.targets.get(target["id"])
        self.assertEqual(fetched["name"], target["name"])
        self.assertNotIn("signingSecret", fetched)  # shown once, on create
        renamed = unique("py-renamed")
        self.assertEqual((await self.api.targets.update(target["id"], {"name": renamed}))["name"], renamed)
        rotated = await self.api.targets.rotate_secret(target["id"])
        self.assertTrue(rotated["signingSecret"].startswith("whsec_"))
        self.assertNotEqual(rotated["signingSecret"], target["signingSecret"])
        second = await self.target()
        page = await self.api.targets.list(limit=1)
        self.assertEqual(len(page["data"]), 1)
        self.assertTrue(page["nextCursor"])
        every = [t["id"] async for t in self.api.targets.iterate(limit=1)]
        self.assertEqual(len(every), len(set(every)))
        self.assertTrue({target["id"], second["id"]} <= set(every))
        self.assertIsNone(await self.api.targets.delete(second["id"]))
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await self.api.targets.get(second["id"])
        self.assertEqual(ctx.exception.status, 404)

    async def test_routes_create_list_by_mapping_or_target_and_delete(self):
        source = await self.source()
        mapping = await self.mapping(source["id"])
        other_mapping = await self.mapping(source["id"], resourceType="refund")
        target = await self.target()
        route = await self.api.routes.create({"mappingId": mapping["id"], "targetId": target["id"]})
        self.remove_later(self.api.routes.delete, route["id"])
        second = await self.api.routes.create({"mappingId": other_mapping["id"], "targetId": target["id"]})
        self.remove_later(self.api.routes.delete, second["id"])
        self.assertEqual((route["mappingId"], route["targetId"]), (mapping["id"], target["id"]))
        self.assertEqual([r["id"] for r in (await self.api.routes.list(mapping_id=mapping["id"]))["data"]], [route["id"]])
        by_target = [r["id"] async for r in self.api.routes.iterate(target_id=target["id"], limit=1)]
        self.assertEqual(sorted(by_target), sorted([route["id"], second["id"]]))
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await self.api.routes.create({"mappingId": mapping["id"], "targetId": target["id"]})
        self.assertEqual(ctx.exception.status, 409)
        self.assertIsNone(await self.api.routes.delete(route["id"]))
        self.assertEqual((await self.api.routes.list(mapping_id=mapping["id"]))["data"], [])


@needs_org
class Pipeline(LiveCase):
    async def test_events_interactions_and_deliveries(self):
        source = await self.source()
        mapping = await self.mapping(source["id"], fieldMappings={"amount": "data.object.amount"})
        target = await self.target()
        route = await self.api.routes.create({"mappingId": mapping["id"], "targetId": target["id"]})
        self.remove_later(self.api.routes.delete, route["id"])

        run = uuid.uuid4().hex[:8]
        sent = [stripe_event(f"evt_{run}_{i}", f"pi_{run}_{i}") for i in range(3)]
        interaction_ids = []
        for payload in sent:
            status, answer = await asyncio.to_thread(send_webhook, source["mnemonic"], payload)
            self.assertEqual(status, 200, answer)
            interaction_ids.append(answer["interactionId"])
        status, answer = await asyncio.to_thread(send_webhook, source["mnemonic"], sent[0], "whsec_wrong")
        self.assertEqual((status, answer["error"]), (401, "Signature verification failed"))

        # events: a page of one, then every page
        page = await self.api.events.list(source_id=source["id"], limit=1)
        self.assertEqual(len(page["data"]), 1)
        self.assertTrue(page["nextCursor"])
        events = [e async for e in self.api.events.iterate(source_id=source["id"], status="processed", limit=1)]
        self.assertEqual(len(events), 3)
        failed = [e async for e in self.api.events.iterate(source_id=source["id"], status="failed")]
        self.assertEqual([(e["status"], e["error"]) for e in failed], [("failed", "Signature verification failed")])
        every = {e["id"] async for e in self.api.events.iterate(source_id=source["id"])}
        self.assertEqual(every, {e["id"] for e in events + failed})
        self.assertEqual({e["interactionId"] for e in events}, set(interaction_ids))
        first = min(events, key=lambda e: e["receivedAt"])
        detail = await self.api.events.get(first["id"])
        self.assertEqual((detail["id"], detail["sourceId"], detail["status"]), (first["id"], source["id"], "processed"))
        self.assertIn(sent[0]["id"], json.dumps(detail))
        replay = await self.api.events.replay(first["id"])
        self.assertIs(replay["queued"], True)
        self.assertNotEqual(replay["eventId"], first["id"])
        replayed = await self.api.events.get(replay["eventId"])
        self.assertEqual((replayed["sourceId"], replayed["replayOf"]), (source["id"], first["id"]))

        # interactions
        found = [i async for i in self.api.interactions.iterate(source_id=source["id"], limit=2)]
        self.assertEqual(sorted(i["resourceId"] for i in found), sorted(p["data"]["object"]["id"] for p in sent))
        self.assertEqual(sorted(i["id"] for i in found), sorted(interaction_ids))
        one = await self.api.interactions.get(interaction_ids[1])
        self.assertEqual((one["resourceType"], one["action"], one["resourceId"], one["idempotencyKey"]),
                         ("payment", "succeeded", sent[1]["data"]["object"]["id"], sent[1]["id"]))
        self.assertEqual(one["object"]["amount"], 2000)
        typed = await self.api.interactions.list(source_id=source["id"], resource_type="payment", action="succeeded")
        self.assertEqual(len(typed["data"]), 3)
        self.assertEqual((await self.api.interactions.list(source_id=source["id"], resource_type="refund"))["data"], [])

        # deliveries: the target answers 404, so each one is dead after its single attempt
        dead: List[Dict[str, Any]] = []
        for _ in range(240):
            dead = (await self.api.deliveries.list(target_id=target["id"], status="dead"))["data"]
            if len(dead) >= 3:
                break
            await asyncio.sleep(0.25)
        self.assertEqual(len(dead), 3, "the deliveries did not all fail within 60 s")
        self.assertEqual({d["interactionId"] for d in dead}, set(interaction_ids))
        delivery = await self.api.deliveries.get(dead[0]["id"])
        self.assertEqual((delivery["targetId"], delivery["status"]), (target["id"], "dead"))
        self.assertGreaterEqual(len(delivery["attempts"]), 1)
        self.assertEqual([d["id"] for d in (await self.api.deliveries.list(interaction_id=dead[0]["interactionId"],
                                                                            target_id=target["id"]))["data"]],
                         [dead[0]["id"]])
        self.assertEqual(len([d async for d in self.api.deliveries.iterate(target_id=target["id"], limit=1)]), 3)
        retried = await self.api.deliveries.retry(dead[0]["id"])
        self.assertEqual(retried, {"queued": True, "deliveryId": dead[0]["id"]})
        many = await self.api.deliveries.retry_many(status="dead", target_id=target["id"])
        self.assertGreaterEqual(many["queued"], 2)
        self.assertLessEqual(many["queued"], 3)


class TokensAndSecrets(LiveCase):
    async def test_api_tokens_create_list_use_and_delete(self):
        created = await self.api.api_tokens.create({"name": unique("py-token"), "role": "reviewer"})
        self.remove_later(self.api.api_tokens.delete, created["id"])
        self.assertTrue(created["token"].startswith("prv_"))
        self.assertEqual(created["role"], "reviewer")
        listed = {t["id"]: t for t in (await self.api.api_tokens.list())["data"]}
        self.assertEqual(listed[created["id"]]["name"], created["name"])
        self.assertNotIn("token", listed[created["id"]])
        async with provenance.api(url=URL, token=created["token"]) as reviewer:
            self.assertIsInstance((await reviewer.inbound_sources.list())["data"], list)
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                await reviewer.inbound_sources.create({"title": "No", "mnemonic": unique("no")})
            self.assertEqual((ctx.exception.status, ctx.exception.body), (403, {"error": "Forbidden"}))
            self.assertIsNone(await self.api.api_tokens.delete(created["id"]))
            self.assertNotIn(created["id"], [t["id"] for t in (await self.api.api_tokens.list())["data"]])
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                await reviewer.inbound_sources.list()
            self.assertEqual(ctx.exception.status, 401)
            self.assertNotIn(created["token"], str(ctx.exception) + repr(ctx.exception) + repr(reviewer))

    async def test_secrets_are_write_only(self):
        name = "PY_SDK_" + uuid.uuid4().hex[:10].upper()
        value = "s3cr3t-" + uuid.uuid4().hex
        stored = await self.api.secrets.put(name, {"value": value})
        self.remove_later(self.api.secrets.delete, name)
        self.assertEqual((stored["name"], stored["hint"]), (name, "…" + value[-4:]))
        again = await self.api.secrets.put(name, "another-" + value)
        self.assertEqual((again["name"], again["createdAt"]), (name, stored["createdAt"]))
        listed = await self.api.secrets.list()
        self.assertIn(name, [s["name"] for s in listed["data"]])
        self.assertNotIn(value, json.dumps(listed))
        self.assertIsNone(await self.api.secrets.delete(name))
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await self.api.secrets.delete(name)
        self.assertEqual(ctx.exception.status, 404)


class ProviderFlowVersions(LiveCase):
    async def test_flow_versions_list_and_a_plan(self):
        listed = await self.api.flow_versions.list(limit=5)
        self.assertIsInstance(listed["data"], list)
        self.assertIn("nextCursor", listed)
        every = [v async for v in self.api.flow_versions.iterate(limit=50)]
        self.assertGreaterEqual(len(every), len(listed["data"]))
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await self.api.flow_versions.get(str(uuid.uuid4()))
        self.assertEqual(ctx.exception.status, 404)
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await self.api.providerflow.plan({"files": {}})
        self.assertEqual(ctx.exception.status, 400)
        self.assertEqual(body_of(ctx.exception)["details"][0]["path"], "/files")

        if not os.path.isdir(PACKAGE):
            return
        # The example package, its secret names made unique so that nothing of the org is touched.
        names = {"STRIPE_WEBHOOK_SECRET": unique("PY_STRIPE").upper(), "DW_TOKEN": unique("PY_DW").upper()}
        files = {}
        for folder, _, entries in os.walk(PACKAGE):
            for entry in entries:
                path = os.path.join(folder, entry)
                rel = os.path.relpath(path, PACKAGE).replace(os.sep, "/")
                with open(path, "rb") as f:
                    data = f.read()
                if rel == "provider-flow.yaml":
                    for old, new in names.items():
                        data = data.replace(old.encode(), new.encode())
                files[rel] = base64.b64encode(data).decode()
        for name in names.values():
            await self.api.secrets.put(name, {"value": "value-" + uuid.uuid4().hex})
            self.remove_later(self.api.secrets.delete, name)
        plan = await self.api.providerflow.plan({"files": files})
        self.assertIsInstance(plan["changes"], list)
        self.assertTrue(plan["changes"])
        self.assertTrue(all({"action", "kind", "name"} <= set(c) for c in plan["changes"]))
        self.assertIn("source", {c["kind"] for c in plan["changes"]})


class ErrorsAndRoles(LiveCase):
    async def test_a_400_carries_the_validation_details(self):
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await self.api.inbound_sources.create({"title": "", "mnemonic": "no spaces"})
        error = ctx.exception
        self.assertEqual(error.status, 400)
        self.assertEqual(body_of(error)["error"], "Validation failed")
        self.assertTrue({"/title", "/mnemonic"} <= {d["path"] for d in body_of(error)["details"]})
        self.assertEqual(str(error), "inbound_sources.create failed: 400 Validation failed")
        with self.assertRaises(provenance.ProvenanceError) as ctx:
            await self.api.events.list(status="not-a-status")
        self.assertEqual(ctx.exception.status, 400)
        self.assertEqual(str(ctx.exception), "events.list failed: 400 Validation failed")
        self.assertEqual([d["path"] for d in body_of(ctx.exception)["details"]], ["/query/status"])

    async def test_a_404_for_every_kind_of_id(self):
        missing = str(uuid.uuid4())
        for name, call in (("inbound_sources.get", self.api.inbound_sources.get),
                           ("inbound_mappings.get", self.api.inbound_mappings.get),
                           ("events.get", self.api.events.get), ("events.replay", self.api.events.replay),
                           ("interactions.get", self.api.interactions.get), ("targets.get", self.api.targets.get),
                           ("deliveries.get", self.api.deliveries.get), ("deliveries.retry", self.api.deliveries.retry),
                           ("routes.delete", self.api.routes.delete), ("api_tokens.delete", self.api.api_tokens.delete)):
            with self.subTest(method=name), self.assertRaises(provenance.ProvenanceError) as ctx:
                await call(missing)
            self.assertEqual((ctx.exception.status, ctx.exception.body), (404, {"error": "Not found"}))
            self.assertEqual(str(ctx.exception), f"{name} failed: 404 Not found")

    @needs_reviewer
    async def test_a_reviewer_reads_but_is_refused_a_write_with_403(self):
        async with provenance.api(url=URL, token=REVIEWER) as reviewer:
            self.assertIsInstance((await reviewer.inbound_sources.list())["data"], list)
            self.assertIsInstance((await reviewer.events.list(limit=1))["data"], list)
            for write in (lambda: reviewer.inbound_sources.create({"title": "R", "mnemonic": unique("r")}),
                          lambda: reviewer.api_tokens.create({"name": unique("r"), "role": "admin"}),
                          lambda: reviewer.secrets.put("PY_SDK_REVIEWER", {"value": "x"})):
                with self.assertRaises(provenance.ProvenanceError) as ctx:
                    await write()
                self.assertEqual((ctx.exception.status, ctx.exception.body), (403, {"error": "Forbidden"}))
                self.assertTrue(str(ctx.exception).endswith(" failed: 403 Forbidden"))
                self.assertNotIn(REVIEWER, str(ctx.exception) + repr(ctx.exception) + repr(reviewer))

    async def test_a_bad_token_is_a_401_and_another_org_a_403(self):
        async with provenance.api(url=URL, token="prv_not_a_real_token_" + uuid.uuid4().hex) as stranger:
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                await stranger.inbound_sources.list()
            self.assertEqual(ctx.exception.status, 401)
        async with provenance.api(url=URL, token=TOKEN, org=unique("another-org")) as elsewhere:
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                await elsewhere.inbound_sources.list()
            self.assertEqual(ctx.exception.status, 403)
            self.assertNotIn(TOKEN, str(ctx.exception) + repr(ctx.exception) + repr(elsewhere))

    @needs_org
    async def test_the_right_org_header_is_accepted(self):
        async with provenance.api(url=URL, token=TOKEN, org=ORG) as api:
            self.assertIsInstance((await api.inbound_sources.list())["data"], list)

    async def test_the_operation_table_matches_the_served_openapi_document(self):
        def fetch() -> Dict[str, Any]:
            with urllib.request.urlopen(f"{URL}/api/openapi.json", timeout=30) as res:
                return json.loads(res.read())

        document = await asyncio.to_thread(fetch)
        served = {op["operationId"]: (method.upper(), path)
                  for path, item in document["paths"].items() if path.startswith("/api/v1/")
                  for method, op in item.items() if isinstance(op, dict) and "operationId" in op}
        self.assertEqual(served, provenance.OPERATIONS)


@needs_app
class SyncClient(unittest.TestCase):
    def test_the_synchronous_twin_against_the_app(self):
        with provenance.Client(url=URL, token=TOKEN) as api:
            source = api.inbound_sources.create({"title": "Sync", "mnemonic": unique("pysync")})
            try:
                self.assertEqual(api.inbound_sources.get(source["id"])["mnemonic"], source["mnemonic"])
                mapping = api.inbound_mappings.create({"sourceId": source["id"], "resourceType": "order",
                                                       "action": "paid", "resourceIdPath": "order.id"})
                result = api.inbound_mappings.test(mapping["id"], {"payload": {"order": {"id": "o-1"}}})
                self.assertEqual(result["interaction"]["resourceId"], "o-1")
                self.assertIsInstance(list(api.events.iterate(source_id=source["id"], limit=1)), list)
            finally:
                self.assertIsNone(api.inbound_sources.delete(source["id"]))
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                api.inbound_sources.get(source["id"])
            self.assertEqual(str(ctx.exception), "inbound_sources.get failed: 404 Not found")


if __name__ == "__main__":
    unittest.main()
