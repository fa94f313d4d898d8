import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditService, WorkerService } from '@oksio/platform';
import { PiiVault } from '@oksio/privacy';
import { fixedLineMandateDecider, numberRegistryDecider, portingRequestDecider, PORTING_DUE_ACTION_KINDS, rioRequestDecider } from './domain';
import { MandatesService } from './application/mandates.service';
import { NumbersService } from './application/numbers.service';
import { PortingService } from './application/porting.service';
import { PortabilityResolver } from './graphql/portability.resolver';
import { FixedLineMandatesController, NumbersController, PortingController, RioController } from './http/portability.controllers';
import { linesProjection, mandatesProjection, numbersProjection, portingProjection, riosProjection } from './projections/portability.projections';

/**
 * Portability context (POR-01…09, SUB-15, SUB-17): mobile porting in and out, the number registry,
 * OKSIO's RIOs and fixed-line resale mandates. Registers its projections, due-action handlers and
 * stream categories (`porting-`, `msisdn-`, `mobile-rio-`, `fixed-line-mandate-`).
 */
@Module({
  controllers: [PortingController, NumbersController, RioController, FixedLineMandatesController],
  providers: [PortingService, NumbersService, MandatesService, PortabilityResolver],
  exports: [PortingService, NumbersService, MandatesService],
})
export class PortabilityModule implements OnModuleInit {
  constructor(
    private readonly worker: WorkerService,
    private readonly audit: AuditService,
    private readonly vault: PiiVault,
    private readonly porting: PortingService,
    private readonly mandates: MandatesService,
  ) {}

  onModuleInit(): void {
    this.worker.registerProjection(portingProjection(this.vault));
    this.worker.registerProjection(numbersProjection());
    this.worker.registerProjection(linesProjection());
    this.worker.registerProjection(riosProjection());
    this.worker.registerProjection(mandatesProjection());
    for (const kind of PORTING_DUE_ACTION_KINDS) this.worker.registerDueActionHandler(kind, (action) => this.porting.runDue(action));
    this.worker.registerDueActionHandler('portability.ndi_change', (action) => this.mandates.runDue(action));
    this.audit.registerStreamCategory('porting', portingRequestDecider as never);
    this.audit.registerStreamCategory('msisdn', numberRegistryDecider as never);
    this.audit.registerStreamCategory('mobile', rioRequestDecider as never);
    this.audit.registerStreamCategory('fixed', fixedLineMandateDecider as never);
  }
}
