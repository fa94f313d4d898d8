import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer portal (ACC-01…10): read models (accounts, users, terms versions, PBX files), and the
 * technical stores that are deliberately not events: credentials (password hashes; bcrypt since 1764000100400), one-time
 * challenges (HMAC), sessions (SHA-256 of the token), the outbox of SMS/e-mails, and settings.
 */
export class Portal1764000100300 implements MigrationInterface {
  name = 'Portal1764000100300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE privacy_settings (
      key        text PRIMARY KEY,
      value      text NOT NULL,
      description text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    const settings: Array<[string, string, string]> = [
      ['portal.session_inactivity', 'PT15M', 'ACC-04: a session closes after this inactivity (ISO-8601 duration)'],
      ['portal.activation_code_ttl', 'PT15M', 'ACC-01: lifetime of the SMS activation code'],
      ['portal.activation_link_ttl', 'P2D', 'ACC-01: lifetime of the e-mail activation link'],
      ['portal.invitation_ttl', 'P7D', 'ACC-03/ACC-09: lifetime of an invitation link'],
      ['portal.max_code_attempts', '5', 'ACC-01: wrong codes accepted before a code is void'],
      ['portal.max_failed_logins', '5', 'PRV-07/ACC-05: consecutive failed logins before a temporary block'],
      ['portal.lockout', 'PT15M', 'PRV-07/ACC-05: length of that temporary block'],
    ];
    for (const row of settings) await q.query('INSERT INTO privacy_settings (key, value, description) VALUES ($1, $2, $3)', row);

    await q.query(`CREATE TABLE portal_terms (
      version      text PRIMARY KEY,
      title        text NOT NULL,
      published_at timestamptz NOT NULL,
      source       text NOT NULL CHECK (source IN ('migration', 'event'))
    )`);
    await q.query(
      `INSERT INTO portal_terms (version, title, published_at, source) VALUES ('2026-02-10', 'Conditions d''utilisation de l''Espace Client, édition du 10.02.2026', '2026-02-10T00:00:00Z', 'migration')`,
    );

    await q.query(`CREATE TABLE portal_accounts (
      account_id      uuid PRIMARY KEY,
      customer_id     uuid NOT NULL,
      holder_user_id  uuid NOT NULL,
      status          text NOT NULL,
      services        text[] NOT NULL,
      sms_confirmed   boolean NOT NULL,
      email_confirmed boolean NOT NULL,
      accepted_terms_version text,
      e_correspondence boolean NOT NULL,
      e_correspondence_changed_at timestamptz,
      blocked_reason  text,
      blocked_until   timestamptz,
      registered_at   timestamptz NOT NULL,
      activated_at    timestamptz,
      closed_at       timestamptz,
      last_login_at   timestamptz,
      last_address_change_at timestamptz
    )`);
    await q.query(`CREATE INDEX portal_accounts_customer ON portal_accounts (customer_id)`);
    await q.query(`CREATE TABLE portal_users (
      user_id     uuid PRIMARY KEY,
      account_id  uuid NOT NULL,
      role        text NOT NULL,
      status      text NOT NULL,
      expires_at  timestamptz,
      files       text[],
      function    text,
      granted_by  uuid,
      granted_at  timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX portal_users_account ON portal_users (account_id)`);

    await q.query(`CREATE TABLE portal_credentials (
      user_id       uuid PRIMARY KEY,
      account_id    uuid NOT NULL,
      login         text NOT NULL,
      password_hash text NOT NULL,
      updated_at    timestamptz NOT NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX portal_credentials_login ON portal_credentials (lower(login))`);
    await q.query(`CREATE TABLE portal_challenges (
      challenge_id uuid PRIMARY KEY,
      account_id   uuid NOT NULL,
      user_id      uuid NOT NULL,
      purpose      text NOT NULL CHECK (purpose IN ('activation_sms', 'activation_email', 'invitation')),
      secret_hmac  text NOT NULL,
      expires_at   timestamptz NOT NULL,
      attempts     integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL,
      used_at      timestamptz,
      voided_at    timestamptz,
      created_at   timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX portal_challenges_open ON portal_challenges (account_id, purpose) WHERE used_at IS NULL AND voided_at IS NULL`);
    await q.query(`CREATE TABLE portal_sessions (
      token_sha256 text PRIMARY KEY,
      account_id   uuid NOT NULL,
      user_id      uuid NOT NULL,
      created_at   timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      closed_at    timestamptz,
      close_reason text
    )`);
    await q.query(`CREATE INDEX portal_sessions_user ON portal_sessions (user_id) WHERE closed_at IS NULL`);
    await q.query(`CREATE TABLE portal_outbox (
      message_id uuid PRIMARY KEY,
      account_id uuid NOT NULL,
      user_id    uuid NOT NULL,
      channel    text NOT NULL CHECK (channel IN ('sms', 'email')),
      recipient  text NOT NULL,
      subject    text NOT NULL,
      body       text NOT NULL,
      created_at timestamptz NOT NULL
    )`);

    await q.query(`CREATE TABLE pbx_files (
      account_id  uuid NOT NULL,
      file_id     text NOT NULL,
      customer_id uuid NOT NULL,
      content     jsonb,
      erased      boolean NOT NULL,
      last_updated_by uuid NOT NULL,
      last_updated_role text NOT NULL,
      last_updated_at timestamptz NOT NULL,
      updates     integer NOT NULL,
      PRIMARY KEY (account_id, file_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP TABLE pbx_files, portal_outbox, portal_sessions, portal_challenges, portal_credentials, portal_users, portal_accounts, portal_terms, privacy_settings',
    );
  }
}
