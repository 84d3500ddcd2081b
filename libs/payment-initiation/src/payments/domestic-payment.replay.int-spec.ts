import type { ClientContextFactory } from '@obc/bank-registration';
import { bankRegistrationMigrations } from '@obc/bank-registration';
import { Clock, CryptoRandomSource } from '@obc/common';
import {
  createDataSourceOptions,
  idempotencyMigrations,
  IdempotencyRecordEntity,
  IdempotencyRecordRepository,
  IdempotencyService,
  persistenceMigrations,
  runMigrations,
} from '@obc/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  createTestDatabase,
  describeWithPostgres,
  type TestDatabase,
} from '@obc/test-support/postgres';
import { strictMock } from '@obc/test-support/strict-mock';
import type { PispBankClient } from '../bank/pisp-bank.client';
import { DomesticPaymentConsentEntity } from '../consents/domestic-payment-consent.entity';
import type { DomesticPaymentConsentService } from '../consents/domestic-payment-consent.service';
import { paymentInitiationMigrations } from '../migrations';
import type { PaymentConsentTokens } from '../payment-initiation.ports';
import { clientContext, consentRow, registrationDetails } from '../testing/fixtures';
import { DomesticPaymentEntity } from './domestic-payment.entity';
import { DomesticPaymentRepository } from './domestic-payment.repository';
import { DomesticPaymentService } from './domestic-payment.service';

class TestClock extends Clock {
  ms = Date.now();
  now(): Date {
    return new Date(this.ms);
  }
}

const LOCK_MS = 30_000;

/** Its `complete` dies: the process crashed after its own commit, before the record's. */
class CrashingRecords extends IdempotencyRecordRepository {
  override async complete(): Promise<void> {
    throw new Error('process died');
  }
}

/**
 * The PIS payment on real PostgreSQL through IdempotencyService: a holder that stored its payment
 * and died, or that was taken over while slow, and its successor store the same bank payment
 * (the bank replays it to the same x-idempotency-key): one local row, the consent consumed.
 */
describeWithPostgres('domestic payment: one local row per bank payment across take-overs', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];
  const clock = new TestClock();

  const open = async () => {
    const ds = await new DataSource(
      createDataSourceOptions(
        {
          url: db.url,
          sqlitePath: ':memory:',
          migrateOnStart: false,
          poolSize: 10,
          logging: false,
        },
        [
          ...persistenceMigrations,
          ...idempotencyMigrations,
          ...bankRegistrationMigrations,
          ...paymentInitiationMigrations,
        ],
        {
          entities: [IdempotencyRecordEntity, DomesticPaymentConsentEntity, DomesticPaymentEntity],
        },
      ),
    ).initialize();
    sources.push(ds);
    return ds;
  };

  /** A replica: its own connection pool, the bank answering `bankAnswer` to every create. */
  const replica = (
    ds: DataSource,
    bankAnswer: () => Promise<string>,
    records = new IdempotencyRecordRepository(ds.getRepository(IdempotencyRecordEntity)),
  ) => {
    const consentRows = ds.getRepository(DomesticPaymentConsentEntity);
    const consents = strictMock<DomesticPaymentConsentService>({
      find: jest.fn(async (id: string) => consentRows.findOneByOrFail({ id })),
    });
    const bank = strictMock<PispBankClient>({
      createPayment: jest.fn(async (_c, _s, bankIdempotencyKey: string) => {
        const id = await bankAnswer();
        return {
          id,
          status: 'ACSP',
          body: { Data: { DomesticPaymentId: id, Status: 'ACSP' } },
          interactionId: `ia-${bankIdempotencyKey}`,
        };
      }),
    });
    const clients = strictMock<ClientContextFactory>({
      details: jest.fn(async () => registrationDetails()),
      forRegistration: jest.fn(async () => clientContext()),
    });
    const tokens = strictMock<PaymentConsentTokens>({
      getAccessToken: jest.fn(async () => 'at-1'),
      invalidate: jest.fn(async () => undefined),
    });
    const random = new CryptoRandomSource();
    const service = new DomesticPaymentService(
      new DomesticPaymentRepository(ds.getRepository(DomesticPaymentEntity)),
      consents,
      bank,
      clients,
      new IdempotencyService(records, clock, random, {
        lockTtlMs: LOCK_MS,
        waitMs: 2_000,
        pollMs: 20,
      }),
      tokens,
      random,
    );
    return { service, bank };
  };

  const newConsent = async () => {
    const { created: _c, deleted: _d, ...fields } = consentRow({ id: randomUUID() });
    await sources[0]
      .getRepository(DomesticPaymentConsentEntity)
      .save(Object.assign(new DomesticPaymentConsentEntity(), fields));
    return fields.id;
  };
  const paymentRows = (consentId: string) =>
    sources[0].query(
      `SELECT id, "externalApiId" FROM domestic_payment WHERE "domesticPaymentConsentId" = $1`,
      [consentId],
    ) as Promise<{ id: string; externalApiId: string }[]>;
  const consentStatus = async (consentId: string) =>
    (
      await sources[0]
        .getRepository(DomesticPaymentConsentEntity)
        .findOneByOrFail({ id: consentId })
    ).status;
  const request = (consentId: string) => ({
    domesticPaymentConsentId: consentId,
    externalApiRequest: null,
    reference: null,
    createdBy: 'key-1',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    const first = await open();
    await runMigrations(first);
    // The bank_registration row the consent's foreign key points at is another lib's business.
    await first.query(
      `ALTER TABLE domestic_payment_consent DROP CONSTRAINT ${await first
        .query(
          `SELECT conname FROM pg_constraint WHERE conrelid = 'domestic_payment_consent'::regclass AND contype = 'f'`,
        )
        .then((r: { conname: string }[]) => `"${r[0].conname}"`)}`,
    );
    await open();
  });
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await db?.drop();
  });

  it('a holder that died after storing the payment: the take-over maps the replay to its row', async () => {
    const consentId = await newConsent();
    const key = randomUUID();
    const dying = replica(
      sources[0],
      async () => 'bank-pay-1',
      new CrashingRecords(sources[0].getRepository(IdempotencyRecordEntity)),
    );
    await expect(dying.service.create(request(consentId), 'key-1', key)).rejects.toThrow(
      'process died',
    );
    const [stored] = await paymentRows(consentId);
    expect(await consentStatus(consentId)).toBe('COND');

    clock.ms += LOCK_MS + 1_000;
    const successor = replica(sources[1], async () => 'bank-pay-1');
    const retried = await successor.service.create(request(consentId), 'key-1', key);
    // The retry re-sent the same bank key; the consumed consent did not refuse the take-over.
    expect(successor.bank.createPayment.mock.calls[0][2]).toBe(
      dying.bank.createPayment.mock.calls[0][2],
    );
    expect(retried.view).toMatchObject({ id: stored.id, externalApiId: 'bank-pay-1' });
    expect(await paymentRows(consentId)).toEqual([{ id: stored.id, externalApiId: 'bank-pay-1' }]);
    expect(await consentStatus(consentId)).toBe('COND');
  });

  it('a late holder taken over while slow stores into the row its successor made', async () => {
    const consentId = await newConsent();
    const key = randomUUID();
    let answerLate!: () => void;
    let called!: () => void;
    const bankCalled = new Promise<void>((r) => (called = r));
    const late = replica(
      sources[0],
      () =>
        new Promise<string>((resolve) => {
          answerLate = () => resolve('bank-pay-2');
          called();
        }),
    );
    const lateResult = late.service.create(request(consentId), 'key-1', key);
    await bankCalled;

    clock.ms += LOCK_MS + 1_000;
    const successor = replica(sources[1], async () => 'bank-pay-2');
    const taken = await successor.service.create(request(consentId), 'key-1', key);
    expect(await paymentRows(consentId)).toEqual([
      { id: taken.view.id, externalApiId: 'bank-pay-2' },
    ]);

    answerLate();
    const lateOutcome = await lateResult;
    expect(lateOutcome.view.id).toBe(taken.view.id);
    expect(await paymentRows(consentId)).toEqual([
      { id: taken.view.id, externalApiId: 'bank-pay-2' },
    ]);
    expect(await consentStatus(consentId)).toBe('COND');
    // The record keeps the successor's outcome: a replay answers the same payment.
    const replay = await successor.service.create(request(consentId), 'key-1', key);
    expect(replay.view.id).toBe(taken.view.id);
    expect(successor.bank.createPayment).toHaveBeenCalledTimes(1);
  });

  it('two writers storing the same bank payment at once on two pools: one row, both get its id', async () => {
    const consentId = await newConsent();
    const made = (ds: DataSource) =>
      new DomesticPaymentRepository(ds.getRepository(DomesticPaymentEntity)).storeMade(
        Object.assign(new DomesticPaymentEntity(), {
          id: randomUUID(),
          createdBy: 'key-1',
          reference: null,
          domesticPaymentConsentId: consentId,
          externalApiId: 'bank-pay-3',
          status: 'ACSP',
          externalApiResponse: { Data: { DomesticPaymentId: 'bank-pay-3' } },
        }),
      );
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([made(sources[0]), made(sources[1])]);
      expect(b.id).toBe(a.id);
    }
    const rows = await paymentRows(consentId);
    expect(rows).toHaveLength(1);
    expect(await consentStatus(consentId)).toBe('COND');
  });

  it('the migration made the unique (consent, bank payment id) index', async () => {
    const [index] = (await sources[0].query(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'UQ_domestic_payment_consent_bank_payment'`,
    )) as { indexdef: string }[];
    expect(index.indexdef).toMatch(
      /CREATE UNIQUE INDEX .* ON public\.domestic_payment USING btree \("domesticPaymentConsentId", "externalApiId"\) WHERE \(deleted IS NULL\)/,
    );
  });

  it('on a database holding duplicates, the migration keeps the row the caller was answered with', async () => {
    const ds = sources[0];
    await ds.undoLastMigration();
    const consentId = await newConsent();
    const [crashed, answered, other] = [randomUUID(), randomUUID(), randomUUID()];
    const insert = (id: string, externalApiId: string, created: string) =>
      ds.query(
        `INSERT INTO domestic_payment (id, created, "domesticPaymentConsentId", "externalApiId", status, "externalApiResponse") VALUES ($1, $2, $3, $4, 'ACSP', '{}')`,
        [id, created, consentId, externalApiId],
      );
    await insert(crashed, 'bank-pay-4', '2026-01-01T10:00:00Z');
    await insert(answered, 'bank-pay-4', '2026-01-01T10:01:00Z');
    await insert(other, 'bank-pay-5', '2026-01-01T10:02:00Z');
    await ds.query(
      `INSERT INTO idempotency_record (id, scope, "callerId", "key", "requestHash", "bankIdempotencyKey", status, "resourceId") VALUES ($1, 'domestic-payment', 'c', $2, 'h', 'b', 'completed', $3)`,
      [randomUUID(), randomUUID(), answered],
    );
    await runMigrations(ds);
    const live = (await ds.query(
      `SELECT id FROM domestic_payment WHERE "domesticPaymentConsentId" = $1 AND deleted IS NULL`,
      [consentId],
    )) as { id: string }[];
    expect(live.map((r) => r.id).sort()).toEqual([answered, other].sort());
    expect(await paymentRows(consentId)).toHaveLength(3);
  });
});
