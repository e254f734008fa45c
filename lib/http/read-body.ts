// Reads a request body up to a limit without buffering past it: a declared
// Content-Length over the limit is refused before reading, and a stream that grows past
// it is cancelled. What was read (the head) is returned so it can be kept for debugging.
import type { BodyRead } from "@/lib/inbound/handle-inbound";

/** The sender went away (or was cut off by the server's timeouts) before its body ended. */
export class RequestAbortedError extends Error {
  constructor() {
    super("The request was aborted before its body was read");
    this.name = "RequestAbortedError";
  }
}

/** By name: the error may come from another Next.js bundle's copy of this module. */
export function isRequestAborted(err: unknown): boolean {
  return err instanceof Error && err.name === "RequestAbortedError";
}

/** How much of an over-limit body is kept (and returned as `head`). */
export const HEAD_KEEP = 64 * 1024;

export async function readBodyCapped(request: Request, limit: number): Promise<BodyRead> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, head: new Uint8Array() };
  }
  if (!request.body) return { ok: true, bytes: new Uint8Array() };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return { ok: false, head: concat(chunks, Math.min(HEAD_KEEP, total - value.byteLength)) };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: concat(chunks, total) };
}

/** The chunks joined, cut at `max` bytes. */
export function concat(chunks: Uint8Array[], max: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.byteLength <= max) return chunks[0]!;
  const out = new Uint8Array(Math.min(max, chunks.reduce((n, c) => n + c.byteLength, 0)));
  let off = 0;
  for (const c of chunks) {
    if (off >= out.length) break;
    const part = c.subarray(0, out.length - off);
    out.set(part, off);
    off += part.byteLength;
  }
  return out;
}
