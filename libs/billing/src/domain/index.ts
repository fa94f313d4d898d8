/** Public API of the billing domain: pure code only (no Nest, TypeORM or event store). */
export * from './calendar';
export * from './settings';
export * from './legal-interest';
export * from './catalogue';
export * from './account';
export * from './invoice';
export * from './register';
export * from './ledger';
export * from './mandate';
export * from './charges';
export * from './liability';
export * from './customer-billing';
export * from './handset-order';
