import type { FreeTextFields } from '@oksio/kernel';
import { REQUEST_FREE_TEXT } from './requests/request.decider';
import { DATA_SUBJECT_FREE_TEXT } from './retention/data-subject.decider';
import type { AccountEvent } from './portal/account.decider';

/** The privacy context's free-text event fields, sealed at append by the platform (issue 18 item 7). */
export const PRIVACY_FREE_TEXT: ReadonlyArray<FreeTextFields<any>> = [
  DATA_SUBJECT_FREE_TEXT,
  REQUEST_FREE_TEXT,
  // Support's note on a portal block and the reference of the client's written request (ACC-05).
  { PortalAccessBlocked: ['note', 'writtenRequestReference'], PortalAccountClosed: ['writtenRequestReference'] } satisfies FreeTextFields<AccountEvent>,
];
