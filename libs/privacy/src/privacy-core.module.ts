import { Global, Module } from '@nestjs/common';
import { RUNTIME, type Runtime } from '@oksio/platform';
import { PiiVault } from './crypto/pii-vault';
import { parseMasterKey } from './crypto/envelope-cipher';
import { PersonalDataRegistry } from './registry/personal-data.registry';
import { PortalConsumptionRegistry } from './portal/consumption.registry';

/**
 * The personal-data vault for every context: they store PII only as EncryptedPii fields
 * (PRV-01, ARCHITECTURE.md property 8). Also the registry where contexts plug in their read-model
 * redactors and export contributors, and where metering contexts publish the consumption the
 * portal shows (global, so a context needs no import of PrivacyModule).
 */
@Global()
@Module({
  providers: [
    {
      provide: PiiVault,
      useFactory: (runtime: Runtime) => {
        const vault = new PiiVault(runtime.pool, parseMasterKey(runtime.config.piiMasterKey));
        // The platform seals every command's free text and reason with it (issue 18 item 7).
        runtime.personalText.connect(vault);
        return vault;
      },
      inject: [RUNTIME],
    },
    PersonalDataRegistry,
    PortalConsumptionRegistry,
  ],
  exports: [PiiVault, PersonalDataRegistry, PortalConsumptionRegistry],
})
export class PrivacyCoreModule {}
