// A mapping condition as one line a reader can check at a glance: `type eq "charge.refunded"`.
export function conditionText(c: { path: string; op: string; value?: unknown }): string {
  return c.value === undefined ? `${c.path} ${c.op}` : `${c.path} ${c.op} ${JSON.stringify(c.value)}`;
}
