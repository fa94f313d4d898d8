import { DateTime } from 'luxon';
import type { Decider, DomainEvent } from '@oksio/kernel';

/** An instant at local Paris time on a calendar date (default noon): what "now" is in the tests. */
export function at(date: string, time = '12:00'): Date {
  const dt = DateTime.fromISO(`${date}T${time}`, { zone: 'Europe/Paris' });
  if (!dt.isValid) throw new Error(`bad test date ${date} ${time}`);
  return dt.toJSDate();
}

/**
 * Runs commands one after the other through a decider and returns every event, to be used as the
 * `given` history of the next test step. Each step is [command, now].
 */
export function play<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, steps: Array<[C, Date]>, history: E[] = []): E[] {
  const events = [...history];
  let state = events.reduce(decider.evolve, decider.initialState);
  for (const [command, now] of steps) {
    const produced = decider.decide(command, state, now);
    // The platform stores state as JSON: prove each folded state survives the round trip.
    state = JSON.parse(JSON.stringify(produced.reduce(decider.evolve, state))) as S;
    events.push(...(JSON.parse(JSON.stringify(produced)) as E[]));
  }
  return events;
}

export function stateOf<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, events: E[]): S {
  return events.reduce(decider.evolve, decider.initialState);
}
