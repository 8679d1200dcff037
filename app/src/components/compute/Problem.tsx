// A failed read, said plainly (role="alert"), or a loading line (role="status").
import { IndexerError } from './api';

export function Loading({ what }: { what: string }) {
  return <p role="status">Loading {what}…</p>;
}

export function Problem({ error, what }: { error: Error; what: string }) {
  const detail =
    error instanceof IndexerError
      ? error.status === 0
        ? error.message
        : `${error.message}${error.parameter ? ` (${error.parameter})` : ''}`
      : error.message;
  return (
    <p role="alert" className="error">
      Could not load {what}: {detail}
    </p>
  );
}
