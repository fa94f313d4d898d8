import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type Runtime } from '@oksio/platform';
import { CONTEXT_MODULES } from '../../api/src/contexts';

@Module({})
export class WorkerModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return { module: WorkerModule, imports: [PlatformModule.forRuntime(runtime), ...CONTEXT_MODULES] };
  }
}
