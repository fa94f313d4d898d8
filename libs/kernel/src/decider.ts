/**
 * The shape of every aggregate (ARCHITECTURE.md property 1): pure functions, time passed in.
 * `decide` returns the new facts or throws a DomainError; `evolve` folds one fact into the state.
 */
export interface DomainEvent<T extends string = string, D extends object = Record<string, unknown>> {
  type: T;
  data: D;
}

export interface Decider<C, E extends DomainEvent, S> {
  readonly initialState: S;
  decide(command: C, state: S, now: Date): E[];
  evolve(state: S, event: E): S;
}

export function fold<E extends DomainEvent, S>(decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, events: E[]): S {
  return events.reduce(decider.evolve, decider.initialState);
}
