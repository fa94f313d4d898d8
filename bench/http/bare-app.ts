import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';

/** The floor: Nest 11 on Express with nothing of ours (no guard, pipe, interceptor, filter, database). */
@Controller('bare')
export class BareController {
  @Get()
  get() {
    return { ok: true };
  }

  @Post()
  @HttpCode(200)
  post(@Body() body: unknown) {
    return { ok: typeof body === 'object' };
  }
}

@Module({ controllers: [BareController] })
export class BareModule {}

export async function createBareApp(): Promise<INestApplication> {
  return NestFactory.create(BareModule, { logger: false });
}
