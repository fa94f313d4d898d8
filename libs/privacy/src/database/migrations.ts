import { PrivacyKeys1764000100000 } from './1764000100000-privacy-keys';
import { PrivacyRetention1764000100100 } from './1764000100100-privacy-retention';
import { PrivacyRequests1764000100200 } from './1764000100200-privacy-requests';
import { Portal1764000100300 } from './1764000100300-portal';
import { PortalPasswordCost1764000100400 } from './1764000100400-portal-password-cost';
import { SealedRequestReasons1764000100500 } from './1764000100500-sealed-request-reasons';

export const PRIVACY_MIGRATIONS = [PrivacyKeys1764000100000, PrivacyRetention1764000100100, PrivacyRequests1764000100200, Portal1764000100300, PortalPasswordCost1764000100400, SealedRequestReasons1764000100500];
