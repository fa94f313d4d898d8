import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { AdminSessionResolver } from './admin-session.resolver';
import { AdminStaticFiles } from './static-files';

/** The admin client (apps/admin, Vite + Preact) served at /admin, and its GraphQL session query. */
@Module({ providers: [AdminSessionResolver] })
export class AdminClientModule implements NestModule {
  private readonly files = new AdminStaticFiles();

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.files.handle).forRoutes({ path: 'admin', method: RequestMethod.GET }, { path: 'admin/*path', method: RequestMethod.GET });
  }
}
