// Package drafts in this browser: the editor's files (path → text), saved on every change
// under the org and package name, so a reload or a failed save loses nothing. A draft
// that cannot be stored (quota, private mode) is kept in memory only.
export type PackageDraft = { files: Record<string, string>; savedAt: string | null };

const key = (org: string, name: string) => `provenance:flow-draft:${org}:${name}`;

export function loadDraft(org: string, name: string): PackageDraft | null {
  try {
    const raw = window.localStorage.getItem(key(org, name));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as unknown;
    const files = (parsed as { files?: unknown }).files;
    if (!files || typeof files !== "object" || Array.isArray(files)) return null;
    const clean: Record<string, string> = {};
    for (const [p, t] of Object.entries(files)) if (typeof t === "string") clean[p] = t;
    const savedAt = (parsed as { savedAt?: unknown }).savedAt;
    return { files: clean, savedAt: typeof savedAt === "string" ? savedAt : null };
  } catch {
    return null;
  }
}

export function saveDraft(org: string, name: string, draft: PackageDraft): boolean {
  try {
    window.localStorage.setItem(key(org, name), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(org: string, name: string): void {
  try {
    window.localStorage.removeItem(key(org, name));
  } catch {
    // Nothing stored to clear.
  }
}

/** Every package with a draft in this browser, for the list page. */
export function draftNames(org: string): string[] {
  const prefix = key(org, "");
  const names: string[] = [];
  try {
    for (let i = 0; i < window.localStorage.length; i += 1) {
      const k = window.localStorage.key(i);
      if (k?.startsWith(prefix)) names.push(k.slice(prefix.length));
    }
  } catch {
    return [];
  }
  return names.sort();
}
