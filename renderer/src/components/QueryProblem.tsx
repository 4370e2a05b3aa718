import type { UseQueryResult } from '@tanstack/react-query';
import { isBerthApiError } from '../../../app/contract/errors';

/** Why a list could not be loaded, in the API's words. */
export function QueryProblem({ query, what }: { query: UseQueryResult<unknown>; what: string }) {
  if (query.isPending && query.fetchStatus === 'fetching') return <p className="muted">Loading {what}…</p>;
  if (!query.isError) return null;
  const message = isBerthApiError(query.error) ? query.error.message : String(query.error);
  return (
    <p role="alert" className="problem">
      Could not load {what}: {message}
    </p>
  );
}
