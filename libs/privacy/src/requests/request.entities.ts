import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PersonalText } from '@oksio/kernel';
import type { RequestChannel, RequestOutcome, RequestType } from './request.decider';

@Entity('privacy_requests')
export class DataSubjectRequestRow {
  @PrimaryColumn('uuid', { name: 'request_id' }) requestId: string;
  @Column('text', { name: 'subject_id' }) subjectId: string;
  @Column('text', { name: 'request_type' }) requestType: RequestType;
  @Column('text') channel: RequestChannel;
  @Column('text') status: 'open' | 'fulfilled' | 'refused';
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('boolean') extended: boolean;
  /** Sealed free text (REQUEST_FREE_TEXT), opened by RequestsService when read. */
  @Column('jsonb', { name: 'extension_reason', nullable: true }) extensionReason: PersonalText | null;
  @Column('boolean') overdue: boolean;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @Column('boolean', { nullable: true }) late: boolean | null;
  @Column('jsonb', { nullable: true }) outcome: RequestOutcome | null;
  @Column('jsonb', { name: 'refusal_reason', nullable: true }) refusalReason: PersonalText | null;
}
