"""Against a running Provenance (PROVENANCE_URL, PROVENANCE_TOKEN: an admin token;
PROVENANCE_TEST_REVIEWER_TOKEN: a reviewer token of the same org; PROVENANCE_TEST_ORG: its
slug). Skipped without them. Creates what it needs under unique names and removes it."""

import asyncio
import hashlib
import hmac
import json
import os
import time
import unittest
import urllib.request
import uuid

import provenance

URL = os.environ.get("PROVENANCE_URL")
TOKEN = os.environ.get("PROVENANCE_TOKEN")
REVIEWER = os.environ.get("PROVENANCE_TEST_REVIEWER_TOKEN")
ORG = os.environ.get("PROVENANCE_TEST_ORG")
SECRET = "whsec_python_sdk_test"
LIVE = bool(URL and TOKEN and REVIEWER and ORG)


def unique(prefix):
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def send_stripe_webhook(mnemonic, event_id, object_id):
    """A webhook signed as Stripe signs them, sent with ?sync=true."""
    body = json.dumps({"id": event_id, "type": "charge.succeeded", "created": 1764000000, "data": {"object": {"id": object_id}}})
    ts = str(int(time.time()))
    sig = hmac.new(SECRET.encode(), f"{ts}.{body}".encode(), hashlib.sha256).hexdigest()
    req = urllib.request.Request(f"{URL}/api/inbound/{ORG}/by-mnemonic/{mnemonic}?sync=true", data=body.encode(), method="POST",
                                 headers={"content-type": "application/json", "stripe-signature": f"t={ts},v1={sig}"})
    with urllib.request.urlopen(req, timeout=30) as res:
        return res.status, json.loads(res.read())


@unittest.skipUnless(LIVE, "needs PROVENANCE_URL, PROVENANCE_TOKEN, PROVENANCE_TEST_REVIEWER_TOKEN, PROVENANCE_TEST_ORG")
class Live(unittest.TestCase):
    def test_the_product_documents_snippet_runs_as_written(self):
        async def snippet():
            # Python SDK (../shared/seeds/inbound-pipeline.txt, "SDK support"), with its "..." filled in
            api = await provenance.api()

            sources = await api.inbound_sources.list()
            source = await api.inbound_sources.create({"title": "Stripe", "mnemonic": unique("STRIPE"),
                                                       "verification": {"preset": "stripe", "secret": SECRET}})

            mappings = await api.inbound_mappings.list()
            mapping = await api.inbound_mappings.create({"sourceId": source["id"], "resourceType": "payment",
                                                         "resourceIdPath": "data.object.id", "action": "succeeded",
                                                         "idempotencyPath": "id"})
            mapping_id = mapping["id"]
            result = await api.inbound_mappings.test(mapping_id, {"payload": {"id": "evt_1", "data": {"object": {"id": "pi_1"}}}})

            self.assertIsInstance(sources["data"], list)
            self.assertIsInstance(mappings["data"], list)
            self.assertEqual(source["verification"]["preset"], "stripe")
            self.assertNotIn(SECRET, json.dumps(source))
            self.assertTrue(result["matched"])
            self.assertEqual(result["interaction"]["resourceId"], "pi_1")
            self.assertEqual(result["interaction"]["idempotencyKey"], "evt_1")
            self.assertEqual([m["id"] for m in (await api.inbound_mappings.list(source_id=source["id"]))["data"]], [mapping_id])
            await api.inbound_sources.delete(source["id"])
            await api.aclose()

        asyncio.run(snippet())

    def test_every_resource_end_to_end(self):
        async def scenario():
            async with provenance.api(url=URL, token=TOKEN) as api:
                mnemonic = unique("py")
                source = await api.inbound_sources.create({"title": "Py", "mnemonic": mnemonic,
                                                           "verification": {"preset": "stripe", "secret": SECRET}})
                self.assertEqual((await api.inbound_sources.update(source["id"], {"title": "Py renamed"}))["title"], "Py renamed")
                self.assertEqual((await api.inbound_sources.get(source["id"]))["title"], "Py renamed")
                mapping = await api.inbound_mappings.create({"sourceId": source["id"], "resourceType": "order",
                                                             "resourceIdPath": "data.object.id", "action": "paid", "idempotencyPath": "id"})
                self.assertEqual((await api.inbound_mappings.update(mapping["id"], {"priority": 3}))["priority"], 3)
                self.assertEqual((await api.inbound_mappings.get(mapping["id"]))["id"], mapping["id"])

                target = await api.targets.create({"name": unique("t"), "url": f"{URL}/api/nothing-here", "retry": {"maxAttempts": 1}})
                self.assertTrue(target["signingSecret"].startswith("whsec_"))
                rotated = await api.targets.rotate_secret(target["id"])
                self.assertNotEqual(rotated["signingSecret"], target["signingSecret"])
                route = await api.routes.create({"mappingId": mapping["id"], "targetId": target["id"]})
                self.assertEqual([r["id"] for r in (await api.routes.list(target_id=target["id"]))["data"]], [route["id"]])

                for i in range(3):
                    status, answer = await asyncio.to_thread(send_stripe_webhook, mnemonic, f"{mnemonic}_evt_{i}", f"ord_{i}")
                    self.assertEqual(status, 200, answer)
                page = await api.events.list(source_id=source["id"], limit=1)
                self.assertEqual(len(page["data"]), 1)
                self.assertTrue(page["nextCursor"])
                ids = [e["id"] async for e in api.events.iterate(source_id=source["id"], limit=1)]
                self.assertEqual(len(set(ids)), 3)
                self.assertEqual((await api.events.get(ids[0]))["id"], ids[0])
                replay = await api.events.replay(ids[0])
                self.assertTrue(replay["queued"])
                self.assertNotEqual(replay["eventId"], ids[0])

                found = [i async for i in api.interactions.iterate(source_id=source["id"], limit=2)]
                self.assertEqual(sorted(i["resourceId"] for i in found), ["ord_0", "ord_1", "ord_2"])
                self.assertEqual((await api.interactions.get(found[0]["id"]))["id"], found[0]["id"])

                dead = []
                for _ in range(120):  # the target answers 404: each delivery fails its one attempt
                    dead = (await api.deliveries.list(target_id=target["id"], status="dead"))["data"]
                    if len(dead) >= 3:
                        break
                    await asyncio.sleep(0.25)
                self.assertGreaterEqual(len(dead), 3)
                self.assertEqual((await api.deliveries.get(dead[0]["id"]))["targetId"], target["id"])
                self.assertGreaterEqual((await api.deliveries.retry_many({"status": "dead", "targetId": target["id"]}))["queued"], 3)

                token = await api.api_tokens.create({"name": unique("tok"), "role": "reviewer"})
                self.assertTrue(token["token"].startswith("prv_"))
                self.assertIn(token["id"], [t["id"] for t in (await api.api_tokens.list())["data"]])
                await api.api_tokens.delete(token["id"])
                self.assertNotIn(token["id"], [t["id"] for t in (await api.api_tokens.list())["data"]])

                name = "PY_SDK_" + uuid.uuid4().hex[:8].upper()
                self.assertEqual((await api.secrets.put(name, {"value": "s3cr3t-value"}))["name"], name)
                self.assertNotIn("s3cr3t-value", json.dumps(await api.secrets.list()))
                await api.secrets.delete(name)
                self.assertIsInstance((await api.flow_versions.list())["data"], list)

                await api.routes.delete(route["id"])
                await api.targets.delete(target["id"])
                await api.inbound_mappings.delete(mapping["id"])
                await api.inbound_sources.delete(source["id"])
                with self.assertRaises(provenance.ProvenanceError) as ctx:
                    await api.inbound_sources.get(source["id"])
                self.assertEqual((ctx.exception.status, ctx.exception.body), (404, {"error": "Not found"}))

        asyncio.run(scenario())

    def test_errors_a_400_with_details_and_a_reviewer_refused_a_write(self):
        with provenance.Client(url=URL, token=TOKEN) as api:
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                api.inbound_sources.create({"title": "", "mnemonic": "no spaces"})
            self.assertEqual(ctx.exception.status, 400)
            self.assertEqual(ctx.exception.body["error"], "Validation failed")
            self.assertTrue({"/title", "/mnemonic"} <= {d["path"] for d in ctx.exception.body["details"]})
            self.assertEqual(str(ctx.exception), "inbound_sources.create failed: 400 Validation failed")
        with provenance.Client(url=URL, token=REVIEWER) as reviewer:
            self.assertIsInstance(reviewer.inbound_sources.list()["data"], list)
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                reviewer.inbound_sources.create({"title": "R", "mnemonic": unique("r")})
            self.assertEqual((ctx.exception.status, ctx.exception.body), (403, {"error": "Forbidden"}))
            self.assertNotIn(REVIEWER, str(ctx.exception) + repr(ctx.exception) + repr(reviewer))
        with provenance.Client(url=URL, token=TOKEN, org="someone-else") as other:
            with self.assertRaises(provenance.ProvenanceError) as ctx:
                other.inbound_sources.list()
            self.assertEqual(ctx.exception.status, 403)


if __name__ == "__main__":
    unittest.main()
