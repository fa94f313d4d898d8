export * from './domain';
export * from './incident.module';
export * from './database/migrations';
export * from './database/entities';
export * from './tickets/tickets.service';
