import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditService, WorkerService } from '@oksio/platform';
import { ticketDecider } from './domain';
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
  ) {}

  onModuleInit(): void {
    this.worker.registerProjection(ticketsProjection());
    this.worker.registerProjection(linksProjection());
    this.worker.registerDueActionHandler(SLA_BREACH_ACTION, (action) => this.tickets.runDueAction(action));
    this.worker.registerDueActionHandler(AUTO_CLOSE_ACTION, (action) => this.tickets.runDueAction(action));
    this.audit.registerStreamCategory('ticket', ticketDecider as never);
  }
}
