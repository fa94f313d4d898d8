import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PiiCategory } from '../crypto/pii';

/**
 * Removes or blanks a subject's clear personal data of the given categories in a context's read
 * models, inside the purge transaction. Events need no redactor: their ciphertext became
 * unreadable when the key was shredded; read models hold clear copies and need one.
 */
export type Redactor = (subjectId: string, categories: PiiCategory[], tx: EntityManager) => Promise<void>;

/** One read-model row about a subject, tagged with its category (PRV-01). */
export interface ExportRecord {
  source: string;
  category: PiiCategory;
  data: Record<string, unknown>;
}

export interface SubjectDataContribution {
  records: ExportRecord[];
  /** Streams holding events about the subject: their events carrying its data are exported (revealed). */
  streams: string[];
}

/** What a context knows about a subject, for access/portability exports and archive reads (PRV-04). */
export type ExportContributor = (subjectId: string, manager: EntityManager) => Promise<SubjectDataContribution>;

/**
 * Where contexts plug into the privacy machinery (global provider of PrivacyCoreModule): register
 * in `onModuleInit`. A purge (end of retention, erasure) calls every redactor; an export calls
 * every contributor.
 */
@Injectable()
export class PersonalDataRegistry {
  private readonly redactorsByName = new Map<string, Redactor>();
  private readonly contributorsByName = new Map<string, ExportContributor>();

  registerRedactor(name: string, redactor: Redactor): void {
    if (this.redactorsByName.has(name)) throw new Error(`redactor ${name} registered twice`);
    this.redactorsByName.set(name, redactor);
  }

  registerExportContributor(name: string, contributor: ExportContributor): void {
    if (this.contributorsByName.has(name)) throw new Error(`export contributor ${name} registered twice`);
    this.contributorsByName.set(name, contributor);
  }

  redactors(): Array<[string, Redactor]> {
    return [...this.redactorsByName.entries()];
  }

  contributors(): Array<[string, ExportContributor]> {
    return [...this.contributorsByName.entries()];
  }
}
