import { v5 as uuidv5, v7 as uuidv7, validate } from 'uuid';

/** Namespace for deterministic ids (UUID v5) derived by the platform. */
const PLATFORM_NAMESPACE = '6f1b3c52-1f0e-4d8e-9a54-1e4f0b6a8c11';

/** A new time-ordered id (UUID v7). Infrastructure only; domain code receives ids. */
export function newId(): string {
  return uuidv7();
}

/** The same parts always give the same id: used for command ids of scheduled actions and retries. */
export function deterministicId(...parts: string[]): string {
  return uuidv5(parts.join('\u001f'), PLATFORM_NAMESPACE);
}

export function isUuid(value: string): boolean {
  return validate(value);
}
