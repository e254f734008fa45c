// The console's calls to the management API from the browser, for react-query: a
// successful answer's JSON, or an ApiProblem carrying the API's error and details (JSON
// Pointers into the request body) for the form to show at its fields.
export type ProblemDetail = { path: string; message: string };

export class ApiProblem extends Error {
  readonly status: number;
  readonly details: ProblemDetail[];

  constructor(status: number, message: string, details: ProblemDetail[] = []) {
    super(message);
    this.name = "ApiProblem";
    this.status = status;
    this.details = details;
  }

  /** The details as a map from the body's first-level field ("/email" → "email"); "" for the rest. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      const field = d.path.split("/")[1] ?? "";
      out[field] ??= d.message;
    }
    return out;
  }
}

export async function apiFetch<T>(method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : { "content-type": "application/json", accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiProblem(0, `The server could not be reached (${err instanceof Error ? err.message : String(err)})`);
  }
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => null)) as (T & { error?: string; details?: ProblemDetail[] }) | null;
  if (res.ok && json !== null) return json;
  throw new ApiProblem(res.status, json?.error ?? `HTTP ${res.status}`, Array.isArray(json?.details) ? json.details : []);
}
