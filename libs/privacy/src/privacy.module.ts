import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditService, WorkerService } from '@oksio/platform';
import { consentDecider, consentStream } from './consents/consent.decider';
import { ConsentsController } from './consents/consents.controller';
import { ConsentsResolver } from './consents/consents.resolver';
import { ConsentsService } from './consents/consents.service';
import { accountDecider } from './portal/account.decider';
import { OutboxService } from './portal/outbox.service';
import { pbxFilesDecider } from './portal/pbx-files.decider';
import { PbxService } from './portal/pbx.service';
import { portalContributor, portalRedactor } from './portal/plugins';
import { PortalAdminController } from './portal/portal-admin.controller';
import { PortalController } from './portal/portal.controller';
import { PortalProjection } from './portal/portal.projection';
import { PortalResolver } from './portal/portal.resolver';
import { PortalService } from './portal/portal.service';
import { PortalSessions } from './portal/sessions.service';
import { SettingsService, settingDecider } from './portal/settings.service';
import { termsDecider } from './portal/terms.decider';
import { PersonalDataRegistry } from './registry/personal-data.registry';
import { SubjectDataService } from './registry/subject-data.service';
import { customerContactsContributor, customerContactsRedactor } from './registry/customers.plugins';
import { requestDecider, requestStream } from './requests/request.decider';
import { RequestsController } from './requests/requests.controller';
import { OVERDUE_ACTION, RequestsProjection } from './requests/requests.projection';
import { RequestsResolver } from './requests/requests.resolver';
import { RequestsService } from './requests/requests.service';
import { dataSubjectDecider, dataSubjectStream } from './retention/data-subject.decider';
import { retentionRulesDecider } from './retention/retention-rules.decider';
import { RetentionController } from './retention/retention.controller';
import { PURGE_ACTION, RetentionProjection } from './retention/retention.projection';
import { RetentionResolver } from './retention/retention.resolver';
import { RetentionService } from './retention/retention.service';

/**
 * Privacy context (PRV-01…08) and customer portal access (ACC-01…10). PrivacyCoreModule (global)
 * provides the vault and the registry; this module adds retention, purges, data-subject
 * requests, consents and the portal, and registers its projections, due-action handlers,
 * stream categories, redactors and export contributors.
 */
@Module({
  controllers: [RetentionController, RequestsController, ConsentsController, PortalController, PortalAdminController],
  providers: [
    SubjectDataService,
    RetentionService,
    RetentionResolver,
    RetentionProjection,
    ConsentsService,
    ConsentsResolver,
    RequestsService,
    RequestsResolver,
    RequestsProjection,
    SettingsService,
    OutboxService,
    PortalSessions,
    PortalService,
    PbxService,
    PortalResolver,
    PortalProjection,
  ],
  exports: [RetentionService, SubjectDataService, ConsentsService, RequestsService, PortalService],
})
export class PrivacyModule implements OnModuleInit {
  constructor(
    private readonly worker: WorkerService,
    private readonly audit: AuditService,
    private readonly registry: PersonalDataRegistry,
    private readonly retention: RetentionService,
    private readonly retentionProjection: RetentionProjection,
    private readonly requests: RequestsService,
    private readonly requestsProjection: RequestsProjection,
    private readonly portalProjection: PortalProjection,
  ) {}

  onModuleInit(): void {
    this.worker.registerProjection(this.retentionProjection);
    this.worker.registerProjection(this.requestsProjection);
    this.worker.registerProjection(this.portalProjection);
    this.worker.registerDueActionHandler(PURGE_ACTION, (action) => this.retention.purgeDue(action));
    this.worker.registerDueActionHandler(OVERDUE_ACTION, (action) => this.requests.markOverdue(action));
    this.audit.registerStreamCategory('datasubject', dataSubjectDecider as never);
    this.audit.registerStreamCategory('retentionpolicy', retentionRulesDecider as never);
    this.audit.registerStreamCategory('legalhold', retentionRulesDecider as never);
    this.audit.registerStreamCategory('dsr', requestDecider as never);
    this.audit.registerStreamCategory('consents', consentDecider as never);
    this.audit.registerStreamCategory('portalaccount', accountDecider as never);
    this.audit.registerStreamCategory('portalterms', termsDecider as never);
    this.audit.registerStreamCategory('pbxfiles', pbxFilesDecider as never);
    this.audit.registerStreamCategory('privacysetting', settingDecider as never);
    this.registry.registerRedactor('subscription.customer_contacts', customerContactsRedactor);
    this.registry.registerExportContributor('subscription.customer_contacts', customerContactsContributor);
    this.registry.registerRedactor('portal', portalRedactor);
    this.registry.registerExportContributor('portal', portalContributor);
    this.registry.registerExportContributor('privacy', async (subjectId, manager) => {
      const requests: Array<{ request_id: string }> = await manager.query('SELECT request_id FROM privacy_requests WHERE subject_id = $1', [subjectId]);
      return {
        records: [],
        streams: [dataSubjectStream(subjectId), consentStream(subjectId), ...requests.map((r) => requestStream(r.request_id))],
      };
    });
  }
}
