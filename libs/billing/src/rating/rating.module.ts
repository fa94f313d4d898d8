import { type MiddlewareConsumer, Module, type NestModule, type OnModuleInit, RequestMethod } from '@nestjs/common';
import { text } from 'express';
import { AuditService, WorkerService, parserForAllowedRoles } from '@oksio/platform';
import { cdrBatchDecider } from './cdr-batch.decider';
import { SIP_RATE_CATALOGUE, VGA_SPECIAL_RATE_CATALOGUE } from './data';
import { DEFAULT_RATING_CONFIG } from './domain/charging';
import { RatingController } from './rating.controller';
import { RatingResolver } from './rating.resolver';
import { RATING_CONFIG, RatingService, SIP_RATES, VGA_SPECIAL_RATES } from './rating.service';
import { SipLinesProjection } from './sip-lines.projection';

/**
 * CSV imports may be large; JSON bodies keep the application's 1 MB JSON limit. The CSV parser runs
 * only for a caller the import admits (authenticated before any body is read, then its role).
 */
export const CDR_CSV_LIMIT = '20mb';

/** Billing — call rating: SIP per-minute rating (BIL-07, BIL-09, CON-04) and FIXED_VGA calls (BIL-10). */
@Module({
  controllers: [RatingController],
  providers: [
    RatingService,
    RatingResolver,
    SipLinesProjection,
    { provide: SIP_RATES, useValue: SIP_RATE_CATALOGUE },
    { provide: VGA_SPECIAL_RATES, useValue: VGA_SPECIAL_RATE_CATALOGUE },
    { provide: RATING_CONFIG, useValue: DEFAULT_RATING_CONFIG },
  ],
  exports: [RatingService],
})
export class SipRatingModule implements OnModuleInit, NestModule {
  constructor(
    private readonly worker: WorkerService,
    private readonly audit: AuditService,
    private readonly sipLines: SipLinesProjection,
  ) {}

  onModuleInit(): void {
    this.worker.registerProjection(this.sipLines);
    this.audit.registerStreamCategory('cdrbatch', cdrBatchDecider as never);
  }

  configure(consumer: MiddlewareConsumer): void {
    const csv = text({ type: ['text/csv', 'text/plain'], limit: CDR_CSV_LIMIT });
    consumer
      .apply(parserForAllowedRoles(RatingController, RatingController.prototype.importCdrs, csv))
      .forRoutes({ path: 'billing/cdrs', method: RequestMethod.POST });
  }
}
