// GET /api/health — 200 once the database answers and migrations are applied, else 503
import { operations } from "@/lib/api/operations";
import { declareRoute } from "@/lib/api/with-api";
import { db } from "@/lib/db";
import { runtime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export const GET = declareRoute(operations.health, async () => {
  try {
    if (!runtime().ready) return Response.json({ ok: false, error: "Starting" }, { status: 503 });
    await db().pool.query("SELECT 1");
    return Response.json({ ok: true });
  } catch {
    return Response.json({ ok: false, error: "Database unavailable" }, { status: 503 });
  }
});
