import { ConflictError, DomainError, type Decider, type DomainEvent, type PersonalText } from '@oksio/kernel';
import { localDateOf, requireLocalDate, type LocalDate } from './calendar';
import { versionOn, type ReferenceState } from './catalogue';

/**
 * Billing's own facts about one subscription (stream `billingaccount-<subscriptionId>`): monthly
 * options such as SDA blocks of ten numbers, and one-off fees of the catalogue (BIL-08: SIM
 * network swap 32 € HT per SIM …). The subscription must be known to Billing (checked by the service).
 */
export interface ChargesState {
  subscriptionId: string | null;
  chargeIds: string[];
  options: Record<string, { code: string; quantity: number }>;
}

export type ChargesCommand =
  | { type: 'RecordCharge'; subscriptionId: string; chargeId: string; code: string; quantity: number; occurredOn: LocalDate; itemId?: string; note?: string }
  | { type: 'ChangeOption'; subscriptionId: string; optionId: string; code: string; quantity: number; effectiveOn: LocalDate };

export type ChargesEvent =
  | DomainEvent<'ChargeRecorded', { subscriptionId: string; chargeId: string; code: string; label: string; quantity: number; occurredOn: LocalDate; itemId: string | null; rule: string; note: PersonalText | null }>
  | DomainEvent<'BillingOptionChanged', { subscriptionId: string; optionId: string; code: string; quantity: number; effectiveOn: LocalDate }>;

export const CHARGES_EVENT_TYPES = ['ChargeRecorded', 'BillingOptionChanged'] as const;
export const chargesStream = (subscriptionId: string): string => `billingaccount-${subscriptionId}`;

const RULE_OF: Record<string, string> = { 'FEE:SIM_SWAP': 'BIL-08', 'FEE:TICKET_UNJUSTIFIED': 'INC-07', 'FEE:EXPERTISE_UNJUSTIFIED': 'INC-08', 'FEE:RECONNECTION': 'SUS-01' };

export function createChargesDecider(reference: ReferenceState): Decider<ChargesCommand, ChargesEvent, ChargesState> {
  return {
    initialState: { subscriptionId: null, chargeIds: [], options: {} },
    decide(command, state, now) {
      const today = localDateOf(now);
      const quantity = command.quantity;
      if (command.type === 'RecordCharge') {
        if (state.chargeIds.includes(command.chargeId)) throw new ConflictError('charge_exists', `Charge ${command.chargeId} exists`, [{ field: 'chargeId', message: 'already recorded' }]);
        if (!Number.isInteger(quantity) || quantity < 1 || quantity > 10000) throw new DomainError('invalid_quantity', 'quantity must be a whole number from 1 to 10000', 'BIL-08', 'quantity');
        const occurredOn = requireLocalDate(command.occurredOn, 'occurredOn', 'BIL-08');
        if (occurredOn > today) throw new DomainError('date_in_future', `occurredOn ${occurredOn} is after today`, 'BIL-08', 'occurredOn');
        const version = command.code.startsWith('FEE:') ? versionOn(reference, command.code, occurredOn) : null;
        if (!version) throw new DomainError('unknown_fee', `${command.code} is not a fee of the catalogue in force on ${occurredOn}`, 'BIL-08', 'code');
        return [
          {
            type: 'ChargeRecorded',
            data: { subscriptionId: command.subscriptionId, chargeId: command.chargeId, code: command.code, label: version.label, quantity, occurredOn, itemId: command.itemId ?? null, rule: RULE_OF[command.code] ?? 'BIL-08', note: command.note ?? null },
          },
        ];
      }
      if (!Number.isInteger(quantity) || quantity < 0 || quantity > 10000) throw new DomainError('invalid_quantity', 'quantity must be a whole number from 0 (end the option) to 10000', 'BIL-08', 'quantity');
      const effectiveOn = requireLocalDate(command.effectiveOn, 'effectiveOn', 'BIL-02');
      if (!command.code.startsWith('OPTION:') || !versionOn(reference, command.code, effectiveOn)) throw new DomainError('unknown_option', `${command.code} is not an option of the catalogue in force on ${effectiveOn}`, 'BIL-02', 'code');
      const current = state.options[command.optionId];
      if (current && current.code !== command.code) throw new DomainError('option_code_mismatch', `Option ${command.optionId} is ${current.code}`, 'BIL-02', 'code');
      if (quantity === 0 && !current) throw new DomainError('option_not_found', `No option ${command.optionId} to end`, 'BIL-02', 'optionId');
      if (current && current.quantity === quantity) return [];
      return [{ type: 'BillingOptionChanged', data: { subscriptionId: command.subscriptionId, optionId: command.optionId, code: command.code, quantity, effectiveOn } }];
    },
    evolve(state, event) {
      if (event.type === 'ChargeRecorded') return { ...state, subscriptionId: event.data.subscriptionId, chargeIds: [...state.chargeIds, event.data.chargeId] };
      const d = event.data;
      const options = { ...state.options };
      if (d.quantity === 0) delete options[d.optionId];
      else options[d.optionId] = { code: d.code, quantity: d.quantity };
      return { ...state, subscriptionId: d.subscriptionId, options };
    },
  };
}
