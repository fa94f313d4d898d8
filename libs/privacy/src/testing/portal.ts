import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { KEYS, type TestApp } from '../../../../test/support/app';

/** Test helpers for the customer portal: the outbox plays the SMS and e-mail gateways. */
export interface OutboxItem {
  messageId: string;
  accountId: string;
  userId: string;
  channel: 'sms' | 'email';
  recipient: string;
  body: string;
}

export const PASSWORD = 'Correct horse 42!';

/**
 * Lowers the bcrypt cost through the same setting production uses (`portal.password_cost`, 12 by
 * default), so that suites registering many users stay fast on a small machine. Returns the value
 * the setting had before.
 */
export async function usePasswordCost(t: TestApp, cost = 4): Promise<string> {
  const settings = (await request(t.http).get('/portal/settings').set('X-API-Key', KEYS.admin).expect(200)).body as Array<{ key: string; value: string }>;
  const before = settings.find((s) => s.key === 'portal.password_cost');
  if (!before) throw new Error('setting portal.password_cost is missing');
  await request(t.http).put('/portal/settings/portal.password_cost').set('X-API-Key', KEYS.admin).send({ value: String(cost) }).expect(200);
  return before.value;
}

/** Every pending message, oldest first, read page by page (the outbox answers at most 200 at a time). */
export async function outbox(t: TestApp): Promise<OutboxItem[]> {
  const all: OutboxItem[] = [];
  for (let offset = 0; ; offset += 200) {
    const page: OutboxItem[] = (await request(t.http).get(`/portal/outbox?limit=200&offset=${offset}`).set('X-API-Key', KEYS.system).expect(200)).body;
    all.push(...page);
    if (page.length < 200) return all;
  }
}

/** The last message sent on a channel to a user (or to the account), as the gateway would deliver it. */
export async function lastMessage(t: TestApp, filter: { accountId?: string; userId?: string; channel: 'sms' | 'email' }): Promise<OutboxItem> {
  const messages = (await outbox(t)).filter(
    (m) => m.channel === filter.channel && (!filter.accountId || m.accountId === filter.accountId) && (!filter.userId || m.userId === filter.userId),
  );
  if (messages.length === 0) throw new Error(`no ${filter.channel} message for ${JSON.stringify(filter)}`);
  return messages[messages.length - 1];
}

export const smsCode = (m: OutboxItem) => /\b(\d{6})\b/.exec(m.body)![1];
export const linkToken = (m: OutboxItem) => /token=([0-9a-f-]{36}\.[A-Za-z0-9_-]{43})/.exec(m.body)![1];

export function registration(over: Record<string, unknown> = {}) {
  const tag = randomUUID().slice(0, 8);
  return {
    customerId: randomUUID(),
    name: 'Jeanne Martin',
    email: `jeanne.${tag}@example.fr`,
    phone: '0612345678',
    password: PASSWORD,
    services: ['DATA'],
    acceptedTermsVersion: '2026-02-10',
    ...over,
  };
}

export function login(t: TestApp, loginName: string, password = PASSWORD, extra: Record<string, unknown> = {}) {
  return request(t.http).post('/portal/sessions').set('X-API-Key', KEYS.system).send({ login: loginName, password, ...extra });
}

export interface ActiveAccount {
  accountId: string;
  userId: string;
  customerId: string;
  email: string;
  session: string;
}

/** Registers, activates through both channels and logs in. */
export async function activeAccount(t: TestApp, over: Record<string, unknown> = {}): Promise<ActiveAccount> {
  const body = registration(over);
  const res = await request(t.http).post('/portal/registrations').set('X-API-Key', KEYS.system).send(body).expect(201);
  const { accountId, userId } = res.body;
  const code = smsCode(await lastMessage(t, { accountId, channel: 'sms' }));
  await request(t.http).post(`/portal/registrations/${accountId}/confirm-sms`).set('X-API-Key', KEYS.system).send({ code }).expect(200);
  const token = linkToken(await lastMessage(t, { accountId, channel: 'email' }));
  await request(t.http).post('/portal/activation-links/confirm').set('X-API-Key', KEYS.system).send({ token }).expect(200);
  const session = (await login(t, body.email).expect(201)).body.sessionToken;
  return { accountId, userId, customerId: body.customerId as string, email: body.email as string, session };
}

/** Accepts the invitation sent to a user, then logs it in. */
export async function acceptInvitation(t: TestApp, userId: string, email: string): Promise<string> {
  const token = linkToken(await lastMessage(t, { userId, channel: 'email' }));
  await request(t.http).post('/portal/invitations/accept').set('X-API-Key', KEYS.system).send({ token, password: PASSWORD }).expect(200);
  return (await login(t, email).expect(201)).body.sessionToken;
}

export function portal(t: TestApp, session: string) {
  const auth = (r: request.Test) => r.set('X-API-Key', KEYS.system).set('X-Portal-Session', session);
  return {
    get: (path: string) => auth(request(t.http).get(path)),
    post: (path: string, body: unknown = {}) => auth(request(t.http).post(path)).send(body as object),
    put: (path: string, body: unknown = {}) => auth(request(t.http).put(path)).send(body as object),
    patch: (path: string, body: unknown = {}) => auth(request(t.http).patch(path)).send(body as object),
    delete: (path: string) => auth(request(t.http).delete(path)),
  };
}
