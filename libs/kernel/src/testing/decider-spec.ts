import type { Decider, DomainEvent } from '../decider';

/**
 * Given-events / when-command / then-events for deciders (ARCHITECTURE.md property 1):
 *   given(decider, [past events]).when(command, now).then([expected events])
 *   given(decider, [...]).when(command, now).thenRejects('code', 'RULE-ID')
 */
export function given<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: E[] = []) {
  const state = history.reduce(decider.evolve, decider.initialState);
  return {
    state,
    when(command: C, now: Date) {
      const run = () => decider.decide(command, state, now);
      return {
        then(expected: E[]) {
          expect(run()).toEqual(expected);
        },
        /** Returns the events for finer assertions. */
        events(): E[] {
          return run();
        },
        thenRejects(code: string, rule?: string) {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeDefined();
          expect(caught).toMatchObject(rule ? { code, rule } : { code });
        },
      };
    },
  };
}
