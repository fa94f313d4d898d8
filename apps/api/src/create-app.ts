import 'reflect-metadata';
import { type INestApplication, Logger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { ProblemFilter, createValidationPipe, type Runtime } from '@oksio/platform';
import { AppModule } from './app.module';

/** Builds the HTTP application on an opened runtime (used by main.ts and by the API tests). */
export async function createApp(runtime: Runtime, options: { logger?: LoggerService | false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRuntime(runtime), {
    logger: options.logger ?? new Logger(),
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: '1mb' });
  app.useGlobalPipes(createValidationPipe());
  // Errors raised before routing (malformed JSON, body too large) also become problem+json.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    new ProblemFilter().catch(error, {
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
    } as never);
  });
  const openApi = new DocumentBuilder()
    .setTitle('OKSIO subscription lifecycle platform')
    .setDescription(
      'Commands and queries of the bounded contexts. Authenticate with `X-API-Key`. Every command accepts ' +
        '`Idempotency-Key`; errors are `application/problem+json` (RFC 9457) with a stable `code` and per-field `errors`.',
    )
    .setVersion('0.1.0')
    .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
