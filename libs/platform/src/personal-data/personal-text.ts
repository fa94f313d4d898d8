import { type DomainEvent, type FreeTextFields, type PersonalText, type SealedText, isSealedText } from '@oksio/kernel';

/**
 * The personal-data vault as the platform and the contexts see it: a port, implemented by the
 * privacy context's `PiiVault` (per-subject data keys wrapped by PII_MASTER_KEY, crypto-shredded
 * on erasure). The platform cannot import the privacy library (it imports the platform).
 */
export interface PersonalDataVault {
  /** Seals each value under the subject's data key of the category (one key lookup for all). */
  protectAll(subject: string, category: typeof FREE_TEXT_CATEGORY, values: unknown[]): Promise<SealedText[]>;
  /** The clear values, in order; `{ $erased: true, … }` where the key was shredded (one key lookup for all). */
  revealAll(sealed: SealedText[]): Promise<unknown[]>;
}

/** Free text is what people write about requests, complaints and answers: PRV-01 "communications". */
export const FREE_TEXT_CATEGORY = 'communications';

/** What a reader shows for sealed text whose key was shredded (erasure, end of retention). */
export const ERASED_TEXT = '[erased]';

/**
 * The data subject of streams that belong to nobody (catalogue, policies, registers, settings): a
 * reason given there is still sealed, under this subject's key, so it stays out of clear storage;
 * an operator can erase these texts as a whole by erasing this subject (docs/operations.md).
 */
export const PLATFORM_SUBJECT = 'platform-operations';

/**
 * Whose personal data the free text of a command on a stream is: the subject named by the most
 * recent event that names one, the command's own events first. Privacy streams about one person
 * carry `subjectId`; every customer-owned stream (customer, subscription, ticket, porting, invoice,
 * portal account…) carries `customerId`, and free text about a customer's service is the
 * customer's (`customer-<id>`, the subject Billing already uses for bank details). The most recent
 * one, so that a stream changing hands (a number ported to another customer) seals for its owner
 * at the time. Events, not the folded state: they are the same for every decider folding the
 * stream, wrappers included, and are already loaded when a command is decided.
 */
export function dataSubjectOf(...histories: ReadonlyArray<ReadonlyArray<{ data: unknown }>>): string {
  for (let h = histories.length - 1; h >= 0; h--) {
    const events = histories[h];
    for (let i = events.length - 1; i >= 0; i--) {
      const data = (events[i].data ?? {}) as { subjectId?: unknown; customerId?: unknown };
      if (typeof data.subjectId === 'string' && data.subjectId !== '') return data.subjectId;
      if (typeof data.customerId === 'string' && data.customerId !== '') return `customer-${data.customerId}`;
    }
  }
  return PLATFORM_SUBJECT;
}

/**
 * One mechanism for free text that can carry personal data (issue 18 item 7): the contexts declare
 * which event fields are free text (`FreeTextFields`, composed in the runtime's parts like their
 * migrations), and every command's events are sealed here before they are appended, together with
 * the command's reason (X-Reason). Sealing at command time keeps projection rebuilds free of any
 * cryptography; readers reveal the few texts they show (`revealTexts`), and after an erasure they
 * read `[erased]`. The hash chain covers the sealed form, so it verifies before and after a shred.
 */
export class PersonalTextSealer {
  private readonly fieldsByType = new Map<string, readonly string[]>();
  private vault: PersonalDataVault | null = null;

  constructor(declarations: ReadonlyArray<FreeTextFields<any>> = []) {
    for (const declaration of declarations) this.declare(declaration);
  }

  declare(declaration: FreeTextFields<any>): void {
    for (const [type, fields] of Object.entries(declaration) as Array<[string, readonly string[] | undefined]>) {
      if (!fields) continue;
      const known = this.fieldsByType.get(type);
      if (known && known.join() !== fields.join()) throw new Error(`free-text fields of ${type} declared twice, differently`);
      this.fieldsByType.set(type, fields);
    }
  }

  /** Called once by the module that owns the vault (PrivacyCoreModule). */
  connect(vault: PersonalDataVault): void {
    this.vault = vault;
  }

  fieldsOf(type: string): readonly string[] {
    return this.fieldsByType.get(type) ?? [];
  }

  /**
   * The events with their free-text fields sealed, and the reason sealed, for `subject`. Values
   * already sealed (a retried command) and null are kept as they are.
   */
  async seal<E extends DomainEvent>(subject: string, events: readonly E[], reason: string | SealedText | null): Promise<{ events: E[]; reason: SealedText | null }> {
    const slots: Array<{ event: number; field: string | null; value: string | unknown }> = [];
    events.forEach((e, i) => {
      const data = e.data as Record<string, unknown>;
      for (const field of this.fieldsOf(e.type)) {
        const value = data[field];
        if (value !== null && value !== undefined && !isSealedText(value)) slots.push({ event: i, field, value });
      }
    });
    if (typeof reason === 'string') slots.push({ event: -1, field: null, value: reason });
    if (slots.length === 0) return { events: [...events], reason: isSealedText(reason) ? reason : null };
    const sealed = await this.requireVault().protectAll(subject, FREE_TEXT_CATEGORY, slots.map((s) => s.value));
    const out = events.map((e) => ({ ...e, data: { ...(e.data as object) } }) as E);
    let sealedReason: SealedText | null = isSealedText(reason) ? reason : null;
    slots.forEach((slot, i) => {
      if (slot.field === null) sealedReason = sealed[i];
      else (out[slot.event].data as Record<string, unknown>)[slot.field] = sealed[i];
    });
    return { events: out, reason: sealedReason };
  }

  /** The texts to show: clear (sealed ones opened in one key lookup), `[erased]` once shredded. */
  async revealTexts(values: ReadonlyArray<PersonalText | null | undefined>): Promise<Array<string | null>> {
    const sealed = values.filter(isSealedText);
    const opened = sealed.length > 0 ? await this.requireVault().revealAll(sealed) : [];
    let next = 0;
    return values.map((value) => {
      if (value === null || value === undefined) return null;
      if (!isSealedText(value)) return String(value);
      return textOf(opened[next++]);
    });
  }

  async revealText(value: PersonalText | null | undefined): Promise<string | null> {
    return (await this.revealTexts([value]))[0];
  }

  /**
   * Rows with the given free-text fields revealed (views over read models that keep the sealed
   * form): one key lookup for the whole page.
   */
  async revealRows<R extends object>(rows: R[], fields: ReadonlyArray<keyof R & string>): Promise<R[]> {
    const values = rows.flatMap((row) => fields.map((f) => row[f] as PersonalText | null | undefined));
    const texts = await this.revealTexts(values);
    return rows.map((row, r) => {
      const out = { ...row } as Record<string, unknown>;
      fields.forEach((f, i) => (out[f] = texts[r * fields.length + i]));
      return out as R;
    });
  }

  private requireVault(): PersonalDataVault {
    // Never fall back to storing clear text: a process without the vault is misassembled.
    if (!this.vault) throw new Error('personal free text to seal or reveal, but no personal-data vault is connected (PrivacyCoreModule not loaded)');
    return this.vault;
  }
}

function textOf(clear: unknown): string {
  if (typeof clear === 'object' && clear !== null && (clear as { $erased?: unknown }).$erased === true) return ERASED_TEXT;
  return typeof clear === 'string' ? clear : JSON.stringify(clear);
}
