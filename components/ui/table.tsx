// The console's data table: a scrolling wrapper, a header row of column names, and the
// rows the caller renders. Server-renderable; no data of its own.
import type { ReactNode } from "react";

export function DataTable({
  columns,
  children,
  className,
  testId,
}: {
  columns: readonly string[];
  children: ReactNode;
  /** Extra classes for the table ("table-compact", "table-events"). */
  className?: string;
  testId?: string;
}) {
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : "table"} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
