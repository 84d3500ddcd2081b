import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bankRegistrationMigrations } from '@obc/bank-registration';
import {
  createDataSourceOptions,
  idempotencyMigrations,
  persistenceMigrations,
  runMigrations,
} from '@obc/persistence';
import { DataSource } from 'typeorm';
import { DomesticPaymentConsentEntity } from '../consents/domestic-payment-consent.entity';
import { paymentInitiationMigrations } from '../migrations';
import { CONSENT_ID, consentRow } from '../testing/fixtures';
import { DomesticPaymentEntity } from './domestic-payment.entity';
import { DomesticPaymentRepository } from './domestic-payment.repository';

const INDEX = 'UQ_domestic_payment_consent_bank_payment';

const made = (n: number, externalApiId = 'dp-1', status = 'ACSP') =>
  Object.assign(new DomesticPaymentEntity(), {
    id: `44444444-4444-4444-8444-44444444444${n}`,
    createdBy: 'key-1',
    reference: null,
    domesticPaymentConsentId: CONSENT_ID,
    externalApiId,
    status,
    externalApiResponse: { Data: { DomesticPaymentId: externalApiId, Status: status } },
  });

describe('domestic payments on SQLite (unique per bank payment, stored with the consumed consent)', () => {
  let dir: string;
  let ds: DataSource;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-pis-'));
    ds = await new DataSource(
      createDataSourceOptions(
        { sqlitePath: join(dir, 'c.sqlite'), migrateOnStart: false, poolSize: 1, logging: false },
        [
          ...persistenceMigrations,
          ...idempotencyMigrations,
          ...bankRegistrationMigrations,
          ...paymentInitiationMigrations,
        ],
        { entities: [DomesticPaymentConsentEntity, DomesticPaymentEntity] },
      ),
    ).initialize();
    await runMigrations(ds);
    // The bank_registration row the foreign key points at is another lib's business.
    await ds.query('PRAGMA foreign_keys = OFF');
    const { created: _c, deleted: _d, ...fields } = consentRow();
    await ds
      .getRepository(DomesticPaymentConsentEntity)
      .save(Object.assign(new DomesticPaymentConsentEntity(), fields));
  });
  afterEach(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const consentStatus = async () =>
    (await ds.getRepository(DomesticPaymentConsentEntity).findOneByOrFail({ id: CONSENT_ID }))
      .status;
  const rows = () =>
    ds.query('SELECT id, "externalApiId", status FROM domestic_payment') as Promise<unknown[]>;

  it('storeMade writes the row and consumes the consent; the same bank payment again reuses the row', async () => {
    const payments = new DomesticPaymentRepository(ds.getRepository(DomesticPaymentEntity));
    const first = await payments.storeMade(made(1));
    expect(first.created).toBeInstanceOf(Date);
    expect(await consentStatus()).toBe('COND');
    const again = await payments.storeMade(made(2, 'dp-1', 'ACSC'));
    expect(again.id).toBe(first.id);
    // Kept as stored: the replayed answer does not overwrite it.
    expect(await rows()).toEqual([{ id: first.id, externalApiId: 'dp-1', status: 'ACSP' }]);
  });

  it('the payment row and the consent status are one transaction: a failed consent write stores no payment', async () => {
    const payments = new DomesticPaymentRepository(ds.getRepository(DomesticPaymentEntity));
    await ds.query(
      `CREATE TRIGGER refuse_consume BEFORE UPDATE ON domestic_payment_consent BEGIN SELECT RAISE(ABORT, 'consent write failed'); END`,
    );
    await expect(payments.storeMade(made(1))).rejects.toThrow(/consent write failed/);
    expect(await rows()).toEqual([]);
    expect(await consentStatus()).toBe('AUTH');
  });

  it('the unique index refuses a second row for the same bank payment, and its migration reverts', async () => {
    const insert = (id: string) =>
      ds.query(
        `INSERT INTO domestic_payment (id, "domesticPaymentConsentId", "externalApiId", status, "externalApiResponse") VALUES (?, ?, 'dp-1', 'ACSP', '{}')`,
        [id, CONSENT_ID],
      );
    await insert('a');
    await expect(insert('b')).rejects.toThrow(/UNIQUE/);
    await ds.undoLastMigration();
    expect(
      await ds.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?`, [INDEX]),
    ).toEqual([]);
    await insert('b');
    expect(await rows()).toHaveLength(2);
  });

  it('on a database holding duplicates, the migration keeps the row the caller was answered with', async () => {
    await ds.undoLastMigration();
    const insert = (id: string, externalApiId: string, created: string) =>
      ds.query(
        `INSERT INTO domestic_payment (id, created, "domesticPaymentConsentId", "externalApiId", status, "externalApiResponse") VALUES (?, ?, ?, ?, 'ACSP', '{}')`,
        [id, created, CONSENT_ID, externalApiId],
      );
    // The crashed holder's row first, then the take-over's (which completed the record).
    await insert('crashed', 'dp-1', '2026-01-01 10:00:00');
    await insert('answered', 'dp-1', '2026-01-01 10:01:00');
    await insert('late', 'dp-1', '2026-01-01 10:02:00');
    await insert('single', 'dp-2', '2026-01-01 10:03:00');
    await insert('first', 'dp-3', '2026-01-01 10:04:00');
    await insert('second', 'dp-3', '2026-01-01 10:05:00');
    await ds.query(
      `INSERT INTO idempotency_record (id, scope, "callerId", "key", "requestHash", "bankIdempotencyKey", status, "resourceId") VALUES ('r', 'domestic-payment', 'c', 'k', 'h', 'b', 'completed', 'answered')`,
    );
    await runMigrations(ds);
    const live = (await ds.query(
      'SELECT id FROM domestic_payment WHERE deleted IS NULL ORDER BY id',
    )) as { id: string }[];
    expect(live.map((r) => r.id)).toEqual(['answered', 'first', 'single']);
    // Soft-deleted, not removed; the index covers live rows only.
    expect(await rows()).toHaveLength(6);
    const payments = new DomesticPaymentRepository(ds.getRepository(DomesticPaymentEntity));
    expect((await payments.storeMade(made(1, 'dp-1'))).id).toBe('answered');
  });
});
