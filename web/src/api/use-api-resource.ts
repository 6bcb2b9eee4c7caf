import { useCallback, useEffect, useState } from 'react';
import { type ApiClientError, toApiClientError } from './api-client-error.js';

export interface ApiResource<T> {
  /** The last value loaded by this `load`; kept while a reload runs, so tables do not flash empty. */
  readonly data: T | undefined;
  readonly error: ApiClientError | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

type Outcome<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: ApiClientError };

/**
 * Loads `load()` when it changes (wrap it in useCallback) and on `reload()`. A failed load keeps its
 * error until the next attempt, so pages always show it rather than an empty table.
 */
export function useApiResource<T>(load: () => Promise<T>): ApiResource<T> {
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState<{ load: () => Promise<T>; attempt: number; outcome: Outcome<T> }>();

  useEffect(() => {
    let current = true;
    load().then(
      (data) => {
        if (!current) return;
        setSettled({ load, attempt, outcome: { ok: true, data } });
      },
      (error: unknown) => {
        if (current) setSettled({ load, attempt, outcome: { ok: false, error: toApiClientError(error) } });
      },
    );
    return () => {
      current = false;
    };
  }, [load, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const loading = settled === undefined || settled.load !== load || settled.attempt !== attempt;
  const error = !loading && settled && !settled.outcome.ok ? settled.outcome.error : undefined;
  const data = settled?.load === load && settled.outcome.ok ? settled.outcome.data : undefined;
  return { data, error, loading, reload };
}
