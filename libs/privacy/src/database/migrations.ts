import { PrivacyKeys1764000100000 } from './1764000100000-privacy-keys';

export const PRIVACY_MIGRATIONS = [PrivacyKeys1764000100000];
