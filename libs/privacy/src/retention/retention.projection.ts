import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@oksio/event-store';
import { DueActions, type Projection } from '@oksio/platform';
import { DATA_SUBJECT_EVENT_TYPES, dataSubjectDecider, dataSubjectStream, type DataSubjectEvent, type DataSubjectState } from './data-subject.decider';
import { retentionOf, type LegalHoldRule, type RetentionPolicy } from './retention-policy';
import type { RetentionRulesEvent } from './retention-rules.decider';
import { LegalHoldRuleRow, RetentionPolicyRow, SubjectRetentionRow, toHold, toPolicy } from './retention.entities';

export const PURGE_ACTION = 'privacy.purge';
const NAME = 'privacy-retention';

export async function loadRetentionRules(manager: EntityManager): Promise<{ policies: RetentionPolicy[]; holds: LegalHoldRule[] }> {
  const [policies, holds] = await Promise.all([manager.getRepository(RetentionPolicyRow).find(), manager.getRepository(LegalHoldRuleRow).find()]);
  return { policies: policies.map(toPolicy), holds: holds.map(toHold) };
}

/**
 * The due purges (PRV-02, PRV-03): folds each data-subject file with the write side's `evolve`,
 * computes every category's clocks with the current policies, keeps `privacy_retention` and the
 * `privacy.purge` due actions in step. A policy change recomputes every subject.
 */
@Injectable()
export class RetentionProjection implements Projection {
  readonly name = NAME;
  readonly eventTypes = [...DATA_SUBJECT_EVENT_TYPES, 'RetentionPolicyChanged', 'LegalHoldRuleChanged'];

  async apply(recorded: RecordedEvent, tx: EntityManager): Promise<void> {
    if (recorded.type === 'RetentionPolicyChanged' || recorded.type === 'LegalHoldRuleChanged') {
      await this.applyRuleChange({ type: recorded.type, data: recorded.data } as unknown as RetentionRulesEvent, recorded.metadata.occurredAt, tx);
      await this.recomputeAll(tx);
      return;
    }
    if (!recorded.streamId.startsWith('datasubject-')) return;
    const rows: Array<{ revision: string; state: DataSubjectState }> = await tx.query(
      'SELECT revision, state FROM projection_states WHERE projection = $1 AND stream_id = $2',
      [NAME, recorded.streamId],
    );
    if (rows[0] && Number(rows[0].revision) >= recorded.revision) return;
    const previous = rows[0]?.state ?? dataSubjectDecider.initialState;
    const state = dataSubjectDecider.evolve(previous, { type: recorded.type, data: recorded.data } as DataSubjectEvent);
    await tx.query(
      `INSERT INTO projection_states (projection, stream_id, revision, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (projection, stream_id) DO UPDATE SET revision = EXCLUDED.revision, state = EXCLUDED.state`,
      [NAME, recorded.streamId, recorded.revision, JSON.stringify(state)],
    );
    await this.writeSubject(state, tx, await loadRetentionRules(tx));
  }

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM projection_states WHERE projection = $1', [NAME]);
    await tx.query('DELETE FROM privacy_retention');
    await DueActions.resetSource(tx, NAME);
    // The policy tables are configuration: replaying their change events (full values) ends on the same rows.
  }

  private async applyRuleChange(event: RetentionRulesEvent, occurredAt: string, tx: EntityManager): Promise<void> {
    const updatedAt = new Date(occurredAt);
    if (event.type === 'RetentionPolicyChanged') {
      const { changedAt: _c, ...p } = event.data;
      await tx.upsert(RetentionPolicyRow, { ...p, updatedAt }, ['category']);
    } else {
      const { changedAt: _c, ...h } = event.data;
      await tx.upsert(LegalHoldRuleRow, { ...h, updatedAt }, ['kind']);
    }
  }

  private async recomputeAll(tx: EntityManager): Promise<void> {
    const rules = await loadRetentionRules(tx);
    const rows: Array<{ state: DataSubjectState }> = await tx.query('SELECT state FROM projection_states WHERE projection = $1', [NAME]);
    for (const row of rows) await this.writeSubject(row.state, tx, rules);
  }

  private async writeSubject(state: DataSubjectState, tx: EntityManager, rules: { policies: RetentionPolicy[]; holds: LegalHoldRule[] }): Promise<void> {
    const subjectId = state.subjectId!;
    const clocks = retentionOf(rules.policies, rules.holds, state);
    await tx.upsert(
      SubjectRetentionRow,
      clocks.map((r) => ({
        subjectId,
        category: r.category,
        anchorAt: r.anchorAt ? new Date(r.anchorAt) : null,
        activeUntil: r.activeUntil ? new Date(r.activeUntil) : null,
        holdUntil: r.holdUntil ? new Date(r.holdUntil) : null,
        debtOpen: r.debtOpen,
        purgeAt: r.purgeAt ? new Date(r.purgeAt) : null,
        purgedAt: r.purgedAt ? new Date(r.purgedAt) : null,
        erasureRequestedAt: r.erasureRequestedAt ? new Date(r.erasureRequestedAt) : null,
        restricted: !!state.restricted[r.category],
        restrictionReason: state.restricted[r.category]?.reason ?? null,
      })),
      ['subjectId', 'category'],
    );
    await DueActions.sync(
      tx,
      dataSubjectStream(subjectId),
      NAME,
      clocks
        .filter((r) => r.purgeAt !== null)
        .map((r) => ({
          key: `${PURGE_ACTION}:${subjectId}:${r.category}`,
          kind: PURGE_ACTION,
          dueAt: new Date(r.purgeAt!),
          payload: { subjectId, category: r.category },
        })),
    );
  }
}
