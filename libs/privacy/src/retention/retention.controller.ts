import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, Roles, RevisionETag } from '@oksio/platform';
import type { PiiCategory } from '../crypto/pii';
import { SubjectIdPipe, parseCategories } from '../shared/http';
import { CategoriesDto, ChangeLegalHoldDto, ChangeRetentionPolicyDto, RecordFactDto } from './retention.dto';
import { PurgesDueQuery } from './retention.queries';
import { RetentionService } from './retention.service';
import { dataSubjectStream } from './data-subject.decider';

@ApiTags('privacy')
@ApiSecurity('api-key')
@Controller('privacy')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Post('subjects/:subjectId/facts')
  @Roles('system', 'support', 'admin')
  @ApiOperation({ summary: 'Records a fact that drives the subject\'s retention clocks (contract start/end, collection, invoice, unpaid debt) — PRV-02, PRV-03' })
  recordFact(@Param('subjectId', SubjectIdPipe) subjectId: string, @Body() dto: RecordFactDto, @Ctx() ctx: CommandContext) {
    return this.retention.recordFact(subjectId, dto, ctx);
  }

  @Get('subjects/:subjectId/retention')
  @RevisionETag((params) => dataSubjectStream(params.subjectId))
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Where each category of the subject stands: active, archived (restricted), due, purged' })
  retentionOf(@Param('subjectId', SubjectIdPipe) subjectId: string) {
    return this.retention.retention(subjectId);
  }

  @Get('subjects/:subjectId/data')
  @Roles('support', 'admin', 'auditor')
  @ApiOperation({ summary: 'The subject\'s data across contexts; archived and restricted categories are masked' })
  data(@Param('subjectId', SubjectIdPipe) subjectId: string) {
    return this.retention.subjectView(subjectId);
  }

  @Get('subjects/:subjectId/archive')
  @Roles('admin', 'auditor')
  @ApiHeader({ name: 'X-Reason', required: true, description: 'Why the restricted archive is consulted (recorded in ArchivedDataAccessed)' })
  @ApiQuery({ name: 'categories', required: false, description: 'Comma-separated categories (default: every archived or restricted one)' })
  @ApiOperation({ summary: 'Reads the restricted archive (CNIL intermediate archive): admin/auditor with a reason; each read is recorded' })
  archive(@Param('subjectId', SubjectIdPipe) subjectId: string, @Query('categories') categories: string | undefined, @Ctx() ctx: CommandContext) {
    return this.retention.readArchive(subjectId, parseCategories(categories), ctx);
  }

  @Post('subjects/:subjectId/restrictions/lift')
  @HttpCode(200)
  @Roles('support', 'admin')
  @ApiOperation({ summary: 'Lifts a restriction of processing (PRV-04); restrictions standing for a deferred erasure cannot be lifted' })
  lift(@Param('subjectId', SubjectIdPipe) subjectId: string, @Body() dto: CategoriesDto, @Ctx() ctx: CommandContext) {
    return this.retention.liftRestriction(subjectId, dto.categories, dto.reason, ctx).then((restricted) => ({ subjectId, restricted }));
  }

  @Get('purges')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Purges due and not carried out yet, across every subject, oldest first (PRV-02, PRV-03)' })
  purgesDue(@Query() q: PurgesDueQuery) {
    return this.retention.purgesDue(q);
  }

  @Get('retention-policies')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Retention policy of every personal-data category (PRV-01 legal bases, PRV-02, PRV-03)' })
  policies() {
    return this.retention.policies();
  }

  @Put('retention-policies/:category')
  @Roles('admin')
  @ApiOperation({ summary: 'Changes a category\'s retention policy (audited event; every subject\'s purge date is recomputed)' })
  changePolicy(@Param('category') category: string, @Body() dto: ChangeRetentionPolicyDto, @Ctx() ctx: CommandContext) {
    return this.retention.changePolicy(category as PiiCategory, dto, ctx);
  }

  @Get('legal-holds')
  @Roles('system', 'support', 'admin', 'auditor')
  @ApiOperation({ summary: 'Legal retention duties (invoices 10 years) that override erasure and defer purges' })
  holds() {
    return this.retention.legalHolds();
  }

  @Put('legal-holds/:kind')
  @Roles('admin')
  changeHold(@Param('kind') kind: string, @Body() dto: ChangeLegalHoldDto, @Ctx() ctx: CommandContext) {
    return this.retention.changeLegalHold(kind, dto, ctx);
  }
}
