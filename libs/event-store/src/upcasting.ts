import type { RecordedEvent } from './envelope';

type Upcast = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * Stored events are never rewritten: an older schema version is upcast on read, one version at a
 * time, by functions registered per (type, fromVersion). Hashes stay those of the stored form.
 */
export class Upcasters {
  private readonly steps = new Map<string, Upcast>();

  register(type: string, fromVersion: number, upcast: Upcast): this {
    this.steps.set(`${type}@${fromVersion}`, upcast);
    return this;
  }

  apply<E extends RecordedEvent>(event: E): E {
    let { data, schemaVersion } = event;
    for (let step = this.steps.get(`${event.type}@${schemaVersion}`); step; step = this.steps.get(`${event.type}@${schemaVersion}`)) {
      data = step(data);
      schemaVersion += 1;
    }
    return schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion };
  }
}
