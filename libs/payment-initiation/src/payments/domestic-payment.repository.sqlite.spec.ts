import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bankRegistrationMigrations } from '@obc/bank-registration';
import { createDataSourceOptions, persistenceMigrations, runMigrations } from '@obc/persistence';
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
        [...persistenceMigrations, ...bankRegistrationMigrations, ...paymentInitiationMigrations],
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
    expect(await rows()).toEqual([{ id: first.id, externalApiId: 'dp-1', status: 'ACSC' }]);
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
});
