import { CustomerContactRow, CustomerRow } from '../customers/customer.entities';

export const SUBSCRIPTION_ENTITIES = [CustomerRow, CustomerContactRow];
