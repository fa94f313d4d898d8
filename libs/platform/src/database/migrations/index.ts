import { Foundation1764000000000 } from './1764000000000-foundation';
import { DueActionClaims1764000000100 } from './1764000000100-due-action-claims';
import { InlineProjectionStates1764000000200 } from './1764000000200-inline-projection-states';
import { ProjectionStatesAsJson1764000000300 } from './1764000000300-projection-states-as-json';
import { OneStatementAppend1764000000400 } from './1764000000400-one-statement-append';
import { MultiStreamAppend1764000000540 } from './1764000000540-multi-stream-append';
import { IdempotencyClaims1764000000560 } from './1764000000560-idempotency-claims';

/** Migrations of the platform itself; each bounded context exports its own list, composed by the apps. */
export const PLATFORM_MIGRATIONS = [Foundation1764000000000, DueActionClaims1764000000100, InlineProjectionStates1764000000200, ProjectionStatesAsJson1764000000300, OneStatementAppend1764000000400, MultiStreamAppend1764000000540, IdempotencyClaims1764000000560];
