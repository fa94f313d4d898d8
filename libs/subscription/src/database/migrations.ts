import { Customers1764000200000 } from './1764000200000-customers';

export const SUBSCRIPTION_MIGRATIONS = [Customers1764000200000];
