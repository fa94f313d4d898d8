import type { SealedText } from '@oksio/kernel';
import { ERASED_TEXT, PLATFORM_SUBJECT, PersonalTextSealer, dataSubjectOf, type PersonalDataVault } from './personal-text';

/** A vault that "seals" reversibly in memory, and forgets the subjects it is told to shred. */
function memoryVault() {
  const shredded = new Set<string>();
  const calls: Array<{ subject: string; count: number }> = [];
  const vault: PersonalDataVault = {
    async protectAll(subject, category, values) {
      calls.push({ subject, count: values.length });
      return values.map((v) => ({ $pii: 1, subject, category, ct: JSON.stringify(v) }) as SealedText);
    },
    async revealAll(sealed) {
      return sealed.map((s) => {
        const { subject, ct } = s as unknown as { subject: string; ct: string };
        return shredded.has(subject) ? { $erased: true, category: 'communications' } : JSON.parse(ct);
      });
    },
  };
  return { vault, shredded, calls };
}

describe('issue 18 item 7 — PersonalTextSealer: free text and reasons sealed for the stream subject', () => {
  const declared = new PersonalTextSealer([{ TicketOpened: ['description', 'location'], TicketReopened: ['reason'] }]);

  it('seals the declared fields and the reason in one vault call for the subject, keeps null and other fields', async () => {
    const { vault, calls } = memoryVault();
    declared.connect(vault);
    const events = [
      { type: 'TicketOpened', data: { ticketId: 't1', description: 'Jeanne called', location: null, serviceType: 'DATA' } },
      { type: 'IncidentClassified', data: { ticketId: 't1', classification: 'interruption' } },
    ];
    const sealed = await declared.seal('customer-c1', events, 'call from jeanne@example.org');
    expect(calls).toEqual([{ subject: 'customer-c1', count: 2 }]);
    expect(sealed.events[0].data).toMatchObject({ ticketId: 't1', location: null, serviceType: 'DATA', description: { $pii: 1, subject: 'customer-c1', category: 'communications' } });
    expect(sealed.events[1].data).toEqual(events[1].data);
    expect(sealed.reason).toMatchObject({ $pii: 1, subject: 'customer-c1' });
    // The decided events are not mutated (the decider's state folds them afterwards).
    expect(events[0].data.description).toBe('Jeanne called');
    expect(await declared.revealTexts([sealed.events[0].data.description as unknown as SealedText, sealed.reason, 'written before', null])).toEqual([
      'Jeanne called',
      'call from jeanne@example.org',
      'written before',
      null,
    ]);
  });

  it('reads [erased] once the subject is shredded; nothing to seal makes no vault call', async () => {
    const { vault, shredded, calls } = memoryVault();
    declared.connect(vault);
    const sealed = await declared.seal('customer-c2', [{ type: 'TicketReopened', data: { reason: 'link down again' } }], null);
    expect(sealed.reason).toBeNull();
    shredded.add('customer-c2');
    expect(await declared.revealText(sealed.events[0].data.reason as unknown as SealedText)).toBe(ERASED_TEXT);
    calls.length = 0;
    await declared.seal('customer-c2', [{ type: 'IncidentClassified', data: {} }], null);
    expect(calls).toEqual([]);
  });

  it('never stores clear text when no vault is connected, and refuses conflicting declarations', async () => {
    const bare = new PersonalTextSealer([{ TicketReopened: ['reason'] }]);
    await expect(bare.seal('customer-c3', [], 'why')).rejects.toThrow(/no personal-data vault/);
    expect(() => bare.declare({ TicketReopened: ['note'] })).toThrow(/declared twice/);
  });

  it('the subject is the latest event naming one: subjectId, else customer-<customerId>, else the platform subject', () => {
    expect(dataSubjectOf([{ data: { customerId: 'c1' } }, { data: { ticketId: 't' } }], [{ data: {} }])).toBe('customer-c1');
    expect(dataSubjectOf([{ data: { customerId: 'old' } }], [{ data: { customerId: 'new' } }])).toBe('customer-new');
    expect(dataSubjectOf([{ data: { subjectId: 'contact-9', customerId: 'c1' } }])).toBe('contact-9');
    expect(dataSubjectOf([], [{ data: { series: 'FA-2026' } }])).toBe(PLATFORM_SUBJECT);
  });
});
