import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { eventToJson } from '@oksio/event-store';
import { ValidationError, dateOfInstant } from '@oksio/kernel';
import { AuditService, InstantParam, PageArgs, Roles, pageOf } from '@oksio/platform';

@ApiTags('audit')
@ApiSecurity('api-key')
@Controller('audit')
@Roles('auditor', 'admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('streams/:id/events')
  @ApiOperation({ summary: "A stream's events with metadata (who, when, why) and hash chain; one page, `offset` being the first revision" })
  async events(@Param('id') id: string, @Query() page: PageArgs) {
    const { limit, offset } = pageOf(page);
    const events = await this.audit.streamEvents(id, { fromRevision: offset, maxCount: limit });
    return { streamId: id, limit, offset, events: events.map(eventToJson) };
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
  async state(@Param('id') id: string, @Query('asOf', InstantParam()) asOf: string | undefined) {
    if (asOf === undefined) {
      throw new ValidationError('validation_failed', 'asOf is required', [{ field: 'asOf', message: 'an ISO-8601 instant with its offset is required' }]);
    }
    const instant = dateOfInstant(asOf);
    const replayed = await this.audit.replay(id, instant);
    return { streamId: id, asOf: instant.toISOString(), events: replayed.events, state: replayed.state };
  }
}
