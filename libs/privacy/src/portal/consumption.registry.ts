import { Injectable } from '@nestjs/common';

/** A consumption figure as the billing side computes it before invoicing. */
export interface ConsumptionFigure {
  service: string;
  line: string | null;
  metric: string;
  quantity: string;
  unit: string;
  periodStart: string;
  periodEnd: string;
}

export type ConsumptionSource = (customerId: string) => Promise<ConsumptionFigure[]>;

/**
 * Where the contexts that meter usage (billing, CDR rating) publish the running consumption the
 * portal shows (global provider of PrivacyCoreModule). The portal labels every figure as
 * indicative: invoiced figures prevail (ACC-10, BIL-07).
 */
@Injectable()
export class PortalConsumptionRegistry {
  private readonly sources = new Map<string, ConsumptionSource>();

  register(name: string, source: ConsumptionSource): void {
    if (this.sources.has(name)) throw new Error(`consumption source ${name} registered twice`);
    this.sources.set(name, source);
  }

  async figures(customerId: string): Promise<ConsumptionFigure[]> {
    const all = await Promise.all([...this.sources.values()].map((source) => source(customerId)));
    return all.flat();
  }
}
