import { Body, Controller, Delete, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional, Matches, ValidateIf } from 'class-validator';
import { DateTime, Duration } from 'luxon';
import { ValidationError, dateOfInstant } from '@oksio/kernel';
import { ForbiddenError, IsInstant, RUNTIME, Roles, type Runtime, NoAggregateRevision } from '@oksio/platform';
import { clockTarget } from './clock-target';

export class SetClockDto {
  @ApiPropertyOptional({ example: '2031-02-01T08:00:00Z', description: 'Instant to travel to (ISO-8601 with Z or an offset; not before the newest recorded event)' })
  @ValidateIf((o: SetClockDto) => o.advance === undefined || o.instant !== undefined)
  @IsInstant()
  instant?: string;

  @ApiPropertyOptional({ example: 'P1M', description: 'ISO-8601 duration to move forward from the current test time (the result not before the newest recorded event)' })
  @IsOptional()
  @Matches(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, { message: 'advance must be an ISO-8601 duration such as P1M or PT4H' })
  advance?: string;

  @ApiProperty({ required: false, default: true, description: 'Freeze the clock at that instant (true) or let it run from there' })
  @IsOptional()
  @IsBoolean()
  frozen?: boolean;
}

/** Time travel for non-production environments (ARCHITECTURE.md property 5). */
@ApiTags('admin')
@ApiSecurity('api-key')
@Controller('admin/clock')
@Roles('admin')
export class ClockController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  private testClock() {
    if (!this.runtime.testClock) {
      throw new ForbiddenError('test_clock_disabled', `The test clock is disabled (${this.runtime.config.environment}, CLOCK=${this.runtime.config.clock})`);
    }
    return this.runtime.testClock;
  }

  @Get()
  @ApiOperation({ summary: 'Current test clock' })
  get() {
    return this.testClock().state();
  }

  @Post()
  @NoAggregateRevision('the test clock is not an event-sourced aggregate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set or advance the test clock (admin; refused in production); 422 before the newest recorded event' })
  async set(@Body() body: SetClockDto) {
    const clock = this.testClock();
    if (body.instant && body.advance) {
      throw new ValidationError('validation_failed', 'Give either instant or advance, not both', [{ field: 'advance', message: 'not with instant' }]);
    }
    const target = body.advance
      ? // Months and years follow the Paris calendar (1 Jan + P1M = 1 Feb local), the rest is exact.
        DateTime.fromJSDate(clock.now(), { zone: 'Europe/Paris' }).plus(Duration.fromISO(body.advance)).toJSDate()
      : dateOfInstant(body.instant!);
    await clock.set(await clockTarget(target, body.advance ? 'advance' : 'instant', this.runtime), body.frozen ?? true);
    return clock.state();
  }

  @Delete()
  @NoAggregateRevision('the test clock is not an event-sourced aggregate')
  @ApiOperation({ summary: 'Back to real time for every process (admin; refused in production)' })
  async reset() {
    const clock = this.testClock();
    await clock.reset();
    return clock.state();
  }
}
