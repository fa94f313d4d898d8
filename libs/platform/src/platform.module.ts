import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { CLOCK } from '@oksio/kernel';
import { EVENT_STORE } from '@oksio/event-store';
import { EventSourcedRepository } from './application/event-sourced-repository';
import { PersonalTextSealer } from './personal-data/personal-text';
import { ApiKeyRegistry } from './http/api-keys';
import { ApiKeyGuard } from './http/auth';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { IdempotencyService } from './http/idempotency.service';
import { RevisionInterceptor } from './http/revisions';
import { ProblemFilter } from './http/problem.filter';
import { PG_POOL, RUNTIME } from './tokens';
import type { Runtime } from './runtime';
import { WorkerService } from './worker/worker.service';
import { AuditService } from './audit/audit.service';

/** Makes the process runtime injectable and installs auth, problem+json and idempotency globally. */
@Global()
@Module({})
export class PlatformModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: PG_POOL, useValue: runtime.pool },
        { provide: DataSource, useValue: runtime.dataSource },
        { provide: EVENT_STORE, useValue: runtime.store },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: EventSourcedRepository, useValue: runtime.repository },
        { provide: PersonalTextSealer, useValue: runtime.personalText },
        { provide: ApiKeyRegistry, useValue: ApiKeyRegistry.fromConfig(runtime.config) },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: IdempotencyService, useFactory: (pool: Pool) => new IdempotencyService(pool), inject: [PG_POOL] },
        // In this order: a replayed answer is given before the revision interceptor runs (its ETag is stored with it).
        { provide: APP_INTERCEPTOR, useFactory: (idempotency: IdempotencyService) => new IdempotencyInterceptor(idempotency), inject: [IdempotencyService] },
        { provide: APP_INTERCEPTOR, useClass: RevisionInterceptor },
        WorkerService,
        AuditService,
      ],
      exports: [RUNTIME, PG_POOL, DataSource, EVENT_STORE, CLOCK, EventSourcedRepository, PersonalTextSealer, ApiKeyRegistry, IdempotencyService, WorkerService, AuditService],
    };
  }
}
