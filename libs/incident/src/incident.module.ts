import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditService, WorkerService } from '@oksio/platform';
import { PersonalDataRegistry } from '@oksio/privacy';
import { ticketDecider, ticketStream } from './domain';
import { TicketsController } from './tickets/tickets.controller';
import { AUTO_CLOSE_ACTION, SLA_BREACH_ACTION, linksProjection, ticketsProjection } from './tickets/tickets.projection';
import { TicketsResolver } from './tickets/tickets.resolver';
import { TicketsService } from './tickets/tickets.service';

/** Incident context (INC-01…16): tickets, interruption clocks, SLA breaches and penalties, fees. */
@Module({
  controllers: [TicketsController],
  providers: [TicketsService, TicketsResolver],
  exports: [TicketsService],
})
export class IncidentModule implements OnModuleInit {
  constructor(
    private readonly worker: WorkerService,
    private readonly audit: AuditService,
    private readonly tickets: TicketsService,
    private readonly personalData: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    this.worker.registerProjection(ticketsProjection());
    this.worker.registerProjection(linksProjection());
    this.worker.registerDueActionHandler(SLA_BREACH_ACTION, (action) => this.tickets.runDueAction(action));
    this.worker.registerDueActionHandler(AUTO_CLOSE_ACTION, (action) => this.tickets.runDueAction(action));
    this.audit.registerStreamCategory('ticket', ticketDecider as never);
    // A customer's access export (PRV-04) includes its tickets: their free text is sealed for it.
    this.personalData.registerExportContributor('incident.tickets', async (subjectId, manager) => {
      const customerId = subjectId.startsWith('customer-') ? subjectId.slice('customer-'.length) : null;
      if (!customerId) return { records: [], streams: [] };
      const rows: Array<{ ticket_id: string }> = await manager.query('SELECT ticket_id FROM incident_tickets WHERE customer_id::text = $1 ORDER BY ticket_id', [customerId]);
      return { records: [], streams: rows.map((r) => ticketStream(r.ticket_id)) };
    });
  }
}
