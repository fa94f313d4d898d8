import { Controller, Get, Param, ParseIntPipe, Query, DefaultValuePipe } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { eventToJson } from '@oksio/event-store';
import { ValidationError } from '@oksio/kernel';
import { AuditService, Roles } from '@oksio/platform';

@ApiTags('audit')
@ApiSecurity('api-key')
@Controller('audit')
@Roles('auditor', 'admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('streams/:id/events')
  @ApiOperation({ summary: "A stream's events with metadata (who, when, why) and hash chain" })
  @ApiQuery({ name: 'fromRevision', required: false })
  @ApiQuery({ name: 'maxCount', required: false })
  async events(
    @Param('id') id: string,
    @Query('fromRevision', new DefaultValuePipe(0), ParseIntPipe) fromRevision: number,
    @Query('maxCount', new DefaultValuePipe(1000), ParseIntPipe) maxCount: number,
  ) {
    if (fromRevision < 0) throw new ValidationError('validation_failed', 'fromRevision must be ≥ 0', [{ field: 'fromRevision', message: 'must be ≥ 0' }]);
    if (maxCount < 1 || maxCount > 10000) {
      throw new ValidationError('validation_failed', 'maxCount must be 1–10000', [{ field: 'maxCount', message: 'must be 1–10000' }]);
    }
    const events = await this.audit.streamEvents(id, { fromRevision, maxCount });
    return { streamId: id, events: events.map(eventToJson) };
  }

  @Get('streams/:id/verify')
  @ApiOperation({ summary: "Checks the stream's hash chain; names the first bad event" })
  async verify(@Param('id') id: string) {
    const problem = await this.audit.verifyStream(id);
    return { streamId: id, valid: problem === null, problem };
  }

  @Get('streams/:id/state')
  @ApiOperation({ summary: 'Replays the aggregate as of an instant (business time)' })
  @ApiQuery({ name: 'asOf', required: true, example: '2027-01-01T00:00:00Z' })
  async state(@Param('id') id: string, @Query('asOf') asOf: string) {
    const instant = new Date(asOf);
    if (!asOf || Number.isNaN(instant.getTime())) {
      throw new ValidationError('validation_failed', 'asOf must be an ISO-8601 instant', [{ field: 'asOf', message: 'ISO-8601 instant expected' }]);
    }
    const replayed = await this.audit.replay(id, instant);
    return { streamId: id, asOf: instant.toISOString(), events: replayed.events, state: replayed.state };
  }
}
