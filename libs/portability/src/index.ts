export * from './domain';
export * from './portability.module';
export * from './free-text';
export * from './database/migrations';
export * from './database/entities';
export * from './application/porting.service';
export * from './application/numbers.service';
export * from './application/mandates.service';
