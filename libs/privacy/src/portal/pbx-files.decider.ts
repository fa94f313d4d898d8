import { DomainError, type Decider, type DomainEvent } from '@oksio/kernel';
import type { PortalUser } from './account.decider';

/**
 * The hosted-PBX data files of one account (stream `pbxfiles-<accountId>`). The data belongs to
 * the client and is encrypted under the customer's `hosted_pbx` key (destroyed 12 months after
 * the contract ends, PRV-03); every update records who made it and when (PRV-08). Who may
 * update which file follows the authorisations of ACC-09.
 */
export type Protected = Record<string, unknown>;

export type PbxFilesCommand = {
  type: 'UpdateFile';
  accountId: string;
  customerId: string;
  fileId: string;
  content: Protected;
  userId: string;
  user: Pick<PortalUser, 'role' | 'status' | 'files' | 'expiresAt'>;
};

export type PbxFilesEvent = DomainEvent<
  'PbxFileUpdated',
  { accountId: string; customerId: string; fileId: string; content: Protected; updatedBy: string; role: string; updatedAt: string }
>;

export interface PbxFilesState {
  files: Record<string, { lastUpdatedBy: string; lastUpdatedAt: string; updates: number }>;
}

export const pbxFilesStream = (accountId: string) => `pbxfiles-${accountId}`;

/** ACC-09: the administrator and internal users reach every file; an external user only its own, until its access ends. */
export function fileAccessProblem(user: PbxFilesCommand['user'], fileId: string, now: Date): string | null {
  if (user.status !== 'active') return 'this access is not active';
  if (!['pbx_admin', 'pbx_internal', 'pbx_external'].includes(user.role)) return 'only hosted-PBX users work on PBX files';
  if (user.expiresAt && Date.parse(user.expiresAt) <= now.getTime()) return `this access ended on ${user.expiresAt}`;
  if (user.role === 'pbx_external' && !(user.files ?? []).includes(fileId)) return 'an external user works only on its own files';
  return null;
}

export const pbxFilesDecider: Decider<PbxFilesCommand, PbxFilesEvent, PbxFilesState> = {
  initialState: { files: {} },
  decide(command, _state, now) {
    const problem = fileAccessProblem(command.user, command.fileId, now);
    if (problem) throw new DomainError('file_not_authorised', `File ${command.fileId}: ${problem}`, 'ACC-09', 'fileId');
    return [
      {
        type: 'PbxFileUpdated',
        data: {
          accountId: command.accountId,
          customerId: command.customerId,
          fileId: command.fileId,
          content: command.content,
          updatedBy: command.userId,
          role: command.user.role,
          updatedAt: now.toISOString(),
        },
      },
    ];
  },
  evolve(state, event) {
    const previous = state.files[event.data.fileId];
    return {
      files: {
        ...state.files,
        [event.data.fileId]: { lastUpdatedBy: event.data.updatedBy, lastUpdatedAt: event.data.updatedAt, updates: (previous?.updates ?? 0) + 1 },
      },
    };
  },
};
