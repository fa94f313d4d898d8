import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@oksio/kernel';
import { Roles, WorkerService, NoAggregateRevision } from '@oksio/platform';

@ApiTags('admin')
@ApiSecurity('api-key')
@Controller('admin/projections')
export class ProjectionsController {
  constructor(private readonly worker: WorkerService) {}

  @Get()
  @Roles('admin', 'auditor', 'support')
  @ApiOperation({ summary: 'Checkpoint, owner process and lag of every projection' })
  status() {
    return this.worker.runner.status();
  }

  @Post(':name/rebuild')
  @NoAggregateRevision('a rebuild changes a read model, not an aggregate')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({ summary: 'Empties a read model and replays it from position 0 (the lease holder catches up)' })
  async rebuild(@Param('name') name: string) {
    if (!this.worker.projectionNames().includes(name)) {
      throw new NotFoundError('projection_not_found', `No projection ${name}`, [{ field: 'name', message: `known: ${this.worker.projectionNames().join(', ')}` }]);
    }
    await this.worker.runner.reset(name);
    return { name, status: 'rebuilding' };
  }
}
