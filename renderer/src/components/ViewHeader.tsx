import type { ReactNode } from 'react';

/**
 * The header of a list view (Images, Volumes, Networks): the view's heading, which names its section
 * through `titleId`, the count once the list is known, then the view's own forms and buttons.
 */
export function ViewHeader({
  titleId,
  title,
  count,
  children,
}: {
  titleId: string;
  title: string;
  count: string;
  children: ReactNode;
}) {
  return (
    <header className="view-header">
      <h1 id={titleId}>{title}</h1>
      <span className="count">{count}</span>
      {children}
    </header>
  );
}
