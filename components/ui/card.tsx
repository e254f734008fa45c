// A titled panel: the console's unit of layout. The heading names the region for
// assistive technology (aria-labelledby), so each card is a landmark-like section.
import { useId, type ReactNode } from "react";

export function Card({
  title,
  actions,
  children,
  testId,
  description,
}: {
  title: string;
  /** Buttons or links beside the title. */
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  description?: ReactNode;
}) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id} data-testid={testId}>
      <div className="card-head">
        <h2 id={id}>{title}</h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </div>
      {description ? <p className="muted card-description">{description}</p> : null}
      {children}
    </section>
  );
}
