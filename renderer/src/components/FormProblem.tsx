import type { ReactNode } from 'react';

/**
 * A refusal shown in a form or dialog, announced as an alert; `id` lets the field it is about point at
 * it with `aria-describedby`.
 */
export function FormProblem({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p id={id} role="alert" className="problem">
      {children}
    </p>
  );
}
