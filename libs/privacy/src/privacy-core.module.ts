import { Global, Module } from '@nestjs/common';
import { RUNTIME, type Runtime } from '@oksio/platform';
import { PiiVault } from './crypto/pii-vault';
import { parseMasterKey } from './crypto/envelope-cipher';

/**
 * The personal-data vault for every context: they store PII only as EncryptedPii fields
 * (PRV-01, ARCHITECTURE.md property 8).
 */
@Global()
@Module({
  providers: [
    {
      provide: PiiVault,
      useFactory: (runtime: Runtime) => new PiiVault(runtime.pool, parseMasterKey(runtime.config.piiMasterKey)),
      inject: [RUNTIME],
    },
  ],
  exports: [PiiVault],
})
export class PrivacyCoreModule {}
