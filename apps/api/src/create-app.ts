import 'reflect-metadata';
import { type INestApplication, Logger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiKeyRegistry, answerBodyErrors, answerHttpParserErrors, authenticateBeforeBody, createValidationPipe, documentIfMatch, type Runtime } from '@oksio/platform';
import { AppModule } from './app.module';

/** Builds the HTTP application on an opened runtime (used by main.ts and by the API tests). */
export async function createApp(runtime: Runtime, options: { logger?: LoggerService | false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRuntime(runtime), {
    logger: options.logger ?? new Logger(),
    bodyParser: false,
  });
  // No content-hash ETag: an ETag of this API is a stream revision (set for one aggregate's read
  // and for a command's answer), the value If-Match takes back.
  app.set('etag', false);
  // Requests the HTTP parser refuses (URL or header over 16 KB, malformed HTTP) answer problem+json too.
  answerHttpParserErrors(app.getHttpServer());
  // No body is read before its sender is authenticated; then the parsers (the CDR import adds its own).
  app.use(authenticateBeforeBody(app.get(ApiKeyRegistry)));
  app.useBodyParser('json', { limit: '1mb' });
  app.useGlobalPipes(createValidationPipe());
  // Errors raised before routing (malformed JSON, body too large, unknown encoding) also become problems.
  app.use(answerBodyErrors());
  const openApi = new DocumentBuilder()
    .setTitle('OKSIO subscription lifecycle platform')
    .setDescription(
      'Commands and queries of the bounded contexts. Authenticate with `X-API-Key`. Every command accepts ' +
        '`Idempotency-Key` and, on an aggregate, `If-Match: "<revision>"` (the `ETag` of its read or of the last command; ' +
        'another current revision is a 409 `revision_mismatch`); errors are `application/problem+json` (RFC 9457) with a stable `code` and per-field `errors`.',
    )
    .setVersion('0.1.0')
    .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
    .build();
  SwaggerModule.setup('docs', app, () => documentIfMatch(SwaggerModule.createDocument(app, openApi)), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
