import { PbxFileRow, PortalAccountRow, PortalTermsRow, PortalUserRow, PrivacySettingRow } from '../portal/portal.entities';
import { DataSubjectRequestRow } from '../requests/request.entities';
import { LegalHoldRuleRow, RetentionPolicyRow, SubjectRetentionRow } from '../retention/retention.entities';

export const PRIVACY_ENTITIES = [
  RetentionPolicyRow,
  LegalHoldRuleRow,
  SubjectRetentionRow,
  DataSubjectRequestRow,
  PortalAccountRow,
  PortalUserRow,
  PortalTermsRow,
  PbxFileRow,
  PrivacySettingRow,
];
