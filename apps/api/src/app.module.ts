import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { GRAPHQL_LIMITS, PlatformModule, formatGraphqlLimitError, graphqlLimitsPlugin, type Runtime } from '@oksio/platform';
import { HealthController } from './health/health.controller';
import { AuditController } from './audit/audit.controller';
import { AuditResolver } from './audit/audit.resolver';
import { ClockController } from './admin/clock.controller';
import { ProjectionsController } from './admin/projections.controller';
import { CONTEXT_MODULES } from './contexts';
import { AdminClientModule } from './admin-client/admin-client.module';

@Module({})
export class AppModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRuntime(runtime),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          // The sandbox page loads assets from a CDN; the schema stays introspectable outside production.
          playground: false,
          introspection: runtime.config.environment !== 'production',
          // Cost, depth and alias limits in every environment, before execution (introspection counts).
          parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens },
          plugins: [graphqlLimitsPlugin()],
          formatError: formatGraphqlLimitError,
          context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
        }),
        ...CONTEXT_MODULES,
        AdminClientModule,
      ],
      controllers: [HealthController, AuditController, ClockController, ProjectionsController],
      providers: [AuditResolver],
    };
  }
}
