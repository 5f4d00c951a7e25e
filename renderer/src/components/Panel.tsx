/** A titled panel: a labelled region with a visible heading (the names are a UI contract). */
import type { ReactNode } from 'react';

interface PanelProps {
  readonly title: string;
  readonly actions?: ReactNode;
  readonly className?: string;
  readonly children: ReactNode;
}

export function Panel({ title, actions, className, children }: PanelProps) {
  return (
    <section role="region" aria-label={title} className={`panel ${className ?? ''}`}>
      <header className="panel-header">
        <h2>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
