// How the console writes times and JSON: UTC, day month year, so every operator reads the
// same instant the API returns.
const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export function formatDateTime(value: Date | string): string {
  return dateTime.format(typeof value === "string" ? new Date(value) : value);
}

/** A body as a reader wants it: pretty JSON when it parses, else the text as stored. */
export function prettyBody(text: string): { json: boolean; text: string } {
  try {
    return { json: true, text: JSON.stringify(JSON.parse(text), null, 2) };
  } catch {
    return { json: false, text };
  }
}
