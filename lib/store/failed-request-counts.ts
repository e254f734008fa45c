// What the console shows of the failed-event budget (lib/store/failed-event-budget.ts):
// per source, failed requests stored as events and those only counted, over the current
// hour and the last 24.
import { prisma } from "@/lib/db";

export type FailedRequestSummary = {
  /** Since the start of the current hour (UTC). */
  hour: { stored: number; counted: number; since: Date };
  /** Since the start of the hour 23 hours ago. */
  day: { stored: number; counted: number; since: Date };
};

const HOUR_MS = 3_600_000;

export async function failedRequestSummary(orgId: string, sourceId: string, now = new Date()): Promise<FailedRequestSummary> {
  const hourStart = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const dayStart = new Date(hourStart.getTime() - 23 * HOUR_MS);
  const rows = await prisma().failedRequestCount.findMany({
    where: { orgId, sourceId, hour: { gte: dayStart } },
    select: { hour: true, stored: true, counted: true },
  });
  const sum = (from: Date) =>
    rows
      .filter((r) => r.hour >= from)
      .reduce((acc, r) => ({ stored: acc.stored + r.stored, counted: acc.counted + r.counted }), { stored: 0, counted: 0 });
  return { hour: { ...sum(hourStart), since: hourStart }, day: { ...sum(dayStart), since: dayStart } };
}
