import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, graphql, type RequestOptions } from './api';

export interface Session {
  /** Held in memory only (this object): never written to storage, gone on reload or logout. */
  apiKey: string;
  actorId: string;
  role: 'support' | 'admin' | 'auditor' | 'system';
  environment: string;
  testClockEnabled: boolean;
  clockFrozen: boolean;
  /** Business time given by the server, and the browser's wall time when it was read. */
  serverNow: number;
  readAt: number;
}

export const SESSION_QUERY = `query AdminSession { adminSession { actorId role environment now testClockEnabled clockFrozen } }`;

interface SessionPayload {
  adminSession: { actorId: string; role: Session['role']; environment: string; now: string; testClockEnabled: boolean; clockFrozen: boolean };
}

export async function openSession(apiKey: string): Promise<Session> {
  const started = Date.now();
  const { adminSession: s } = await graphql<SessionPayload>(apiKey, SESSION_QUERY);
  const readAt = Math.round((started + Date.now()) / 2);
  return { apiKey, actorId: s.actorId, role: s.role, environment: s.environment, testClockEnabled: s.testClockEnabled, clockFrozen: s.clockFrozen, serverNow: new Date(s.now).getTime(), readAt };
}

/** The server's business time now, ticking in the browser between refreshes (still when the test clock is frozen). */
export function businessNow(session: Session, wallNow = Date.now()): number {
  return session.clockFrozen ? session.serverNow : session.serverNow + (wallNow - session.readAt);
}

interface SessionContextValue {
  session: Session;
  /** Re-reads the server clock (after time travel, or periodically). */
  refresh(): Promise<void>;
  logout(message?: string): void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a session');
  return value;
}

/** Business time, re-rendered every `intervalMs`. */
export function useNow(intervalMs = 1000): number {
  const { session } = useSession();
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((t) => t + 1), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return businessNow(session);
}

export interface QueryState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

/** Runs `load(apiKey, signal)`; re-runs when `deps` change; `skip` to wait for input. */
export function useAsync<T>(load: (apiKey: string, signal: AbortSignal) => Promise<T>, deps: unknown[], skip = false): QueryState<T> {
  const { session, logout } = useSession();
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({ data: null, error: null, loading: !skip });
  const [generation, setGeneration] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    if (skip) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loader
      .current(session.apiKey, controller.signal)
      .then((data) => setState({ data, error: null, loading: false }))
      .catch((error: unknown) => {
        if ((error as Error).name === 'AbortError') return;
        if (error instanceof ApiError && error.kind === 'unauthenticated') return logout(error.message);
        setState({ data: null, error: error instanceof ApiError ? error : new ApiError(String(error), 'server'), loading: false });
      });
    return () => controller.abort();
  }, [...deps, skip, generation, session.apiKey]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

/** A GraphQL query with the session key; re-runs when `deps` change. */
export function useQuery<T>(query: string, variables: Record<string, unknown>, deps: unknown[], skip = false): QueryState<T> {
  return useAsync((apiKey, signal) => graphql<T>(apiKey, query, variables, { signal }), deps, skip);
}

/** A mutation runner: one idempotency key per call; returns the data or throws ApiError. */
export function useMutation() {
  const { session, logout } = useSession();
  return useCallback(
    async <T,>(query: string, variables: Record<string, unknown>, options: RequestOptions = {}): Promise<T> => {
      try {
        return await graphql<T>(session.apiKey, query, variables, { idempotencyKey: crypto.randomUUID(), ...options });
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'unauthenticated') logout(error.message);
        throw error;
      }
    },
    [session.apiKey],
  );
}
