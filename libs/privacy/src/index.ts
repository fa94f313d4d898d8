export * from './crypto/pii';
export * from './crypto/pii-vault';
export * from './crypto/envelope-cipher';
export * from './database/migrations';
export * from './privacy-core.module';
