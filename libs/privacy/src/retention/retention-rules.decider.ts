import { DomainError, type Decider, type DomainEvent } from '@oksio/kernel';
import { isIsoDuration, type LegalHoldRule, type RetentionPolicy } from './retention-policy';

/**
 * Changes of the retention configuration (PRV-02 "configurable per category"). Each policy and
 * each legal-hold rule has its own stream (`retentionpolicy-<category>`, `legalhold-<kind>`), so
 * every change is an audited fact; the `retention_policies` / `legal_hold_rules` tables (seeded
 * by migration) are updated from these events by the retention projection.
 */
export type RetentionRulesCommand =
  | { type: 'ChangeRetentionPolicy'; policy: RetentionPolicy }
  | { type: 'ChangeLegalHoldRule'; hold: LegalHoldRule };

export type RetentionRulesEvent =
  | DomainEvent<'RetentionPolicyChanged', RetentionPolicy & { changedAt: string }>
  | DomainEvent<'LegalHoldRuleChanged', LegalHoldRule & { changedAt: string }>;

export interface RetentionRulesState {
  changes: number;
}

export const retentionPolicyStream = (category: string) => `retentionpolicy-${category}`;
export const legalHoldStream = (kind: string) => `legalhold-${kind}`;

export const retentionRulesDecider: Decider<RetentionRulesCommand, RetentionRulesEvent, RetentionRulesState> = {
  initialState: { changes: 0 },

  decide(command, _state, now) {
    switch (command.type) {
      case 'ChangeRetentionPolicy': {
        const p = command.policy;
        if (!isIsoDuration(p.activePeriod)) throw new DomainError('invalid_period', 'activePeriod must be an ISO-8601 duration such as P5Y or P12M', 'PRV-02', 'activePeriod');
        if (p.anchor === 'service_contract_end' && !p.service) {
          throw new DomainError('service_required', 'A period anchored on a service contract names the service', 'PRV-02', 'service');
        }
        if (p.anchor !== 'service_contract_end' && p.service) {
          throw new DomainError('service_not_applicable', 'Only service_contract_end policies name a service', 'PRV-02', 'service');
        }
        if (p.legalBasis.length === 0) throw new DomainError('legal_basis_required', 'Each category has a legal basis', 'PRV-01', 'legalBasis');
        return [{ type: 'RetentionPolicyChanged', data: { ...p, changedAt: now.toISOString() } }];
      }
      case 'ChangeLegalHoldRule': {
        const h = command.hold;
        if (!isIsoDuration(h.period)) throw new DomainError('invalid_period', 'period must be an ISO-8601 duration such as P10Y', 'PRV-02', 'period');
        if (h.categories.length === 0) throw new DomainError('categories_required', 'A legal hold covers at least one category', 'PRV-02', 'categories');
        return [{ type: 'LegalHoldRuleChanged', data: { ...h, changedAt: now.toISOString() } }];
      }
    }
  },

  evolve(state) {
    return { changes: state.changes + 1 };
  },
};
