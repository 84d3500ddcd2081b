import type { ClientContextFactory } from '@obc/bank-registration';
import { BankCallError, RandomSource } from '@obc/common';
import { ConsentExpiredError } from '@obc/token-management';
import type { IdempotencyService } from '@obc/persistence';
import { strictMock } from '@obc/test-support/strict-mock';
import type { PispBankClient } from '../bank/pisp-bank.client';
import type { DomesticPaymentConsentEntity } from '../consents/domestic-payment-consent.entity';
import type { DomesticPaymentConsentService } from '../consents/domestic-payment-consent.service';
import type { PaymentConsentTokens } from '../payment-initiation.ports';
import { fakeIdempotency } from '../testing/fake-idempotency';
import {
  clientContext,
  CONSENT_ID,
  consentRow,
  initiation,
  PAYMENT_ID,
  registrationDetails,
} from '../testing/fixtures';
import type { DomesticPaymentEntity } from './domestic-payment.entity';
import type { DomesticPaymentRepository } from './domestic-payment.repository';
import { DomesticPaymentService } from './domestic-payment.service';

function setup(consent: DomesticPaymentConsentEntity = consentRow()) {
  const payments = strictMock<DomesticPaymentRepository>({
    save: jest.fn(async (row: DomesticPaymentEntity) =>
      Object.assign(row, { created: new Date('2026-02-01T10:00:00Z') }),
    ),
    storeMade: jest.fn(async (row: DomesticPaymentEntity) =>
      Object.assign(row, { created: new Date('2026-02-01T10:00:00Z') }),
    ),
    findActive: jest.fn(),
  });
  const consents = strictMock<DomesticPaymentConsentService>({
    find: jest.fn(async () => consent),
  });
  const bank = strictMock<PispBankClient>({
    createPayment: jest.fn(async () => ({
      id: 'dp-1',
      status: 'ACSC',
      body: { Data: { DomesticPaymentId: 'dp-1', Status: 'ACSC' } },
      interactionId: 'ia-p',
    })),
  });
  const clients = strictMock<ClientContextFactory>({
    details: jest.fn(async () => registrationDetails()),
    forRegistration: jest.fn(async () => clientContext()),
  });
  const idem = fakeIdempotency();
  const idempotency = strictMock<IdempotencyService>({ run: jest.fn(idem.run) });
  const tokens = strictMock<PaymentConsentTokens>({
    getAccessToken: jest.fn(async () => 'at-1'),
    invalidate: jest.fn(async () => undefined),
  });
  const random = strictMock<RandomSource>({ uuid: jest.fn(() => PAYMENT_ID) });
  const service = new DomesticPaymentService(
    payments,
    consents,
    bank,
    clients,
    idempotency,
    tokens,
    random,
  );
  return { service, payments, consents, bank, idem, tokens, consent };
}

const pay = (
  externalApiRequest: Parameters<DomesticPaymentService['create']>[0]['externalApiRequest'] = null,
) => ({
  domesticPaymentConsentId: CONSENT_ID,
  externalApiRequest,
  reference: null,
  createdBy: 'key-1',
});

describe('DomesticPaymentService.create', () => {
  it('builds the payment from the consent, pays with its token and marks it consumed', async () => {
    const { service, bank, tokens, consent, payments } = setup();
    const outcome = await service.create(pay(), 'key-1', 'idem-p');

    expect(tokens.getAccessToken).toHaveBeenCalledWith(
      { consentType: 'domestic-payment', consentId: CONSENT_ID },
      clientContext(),
    );
    expect(bank.createPayment).toHaveBeenCalledWith(
      clientContext(),
      { organisationId: 'org-1', softwareStatementId: 'sw-1' },
      'bank-idem-p',
      'at-1',
      {
        Data: { ConsentId: 'pdc-1', Initiation: initiation() },
        Risk: { PaymentContextCode: 'EcommerceGoods' },
      },
    );
    expect(outcome.view).toMatchObject({
      id: PAYMENT_ID,
      domesticPaymentConsentId: CONSENT_ID,
      externalApiId: 'dp-1',
      status: 'ACSC',
    });
    expect(outcome.idempotencyKey).toBe('idem-p');
    // The row and the consent's Consumed status are one write (one transaction).
    expect(payments.storeMade).toHaveBeenCalledTimes(1);
    expect(payments.storeMade).toHaveBeenCalledWith(
      expect.objectContaining({
        id: PAYMENT_ID,
        domesticPaymentConsentId: CONSENT_ID,
        externalApiId: 'dp-1',
        status: 'ACSC',
      }),
    );
    expect(payments.save).not.toHaveBeenCalled();
    expect(consent.status).toBe('COND');
  });

  it('a token the bank refuses (401) is retired and the payment retried once with a fresh one', async () => {
    const { service, bank, tokens } = setup();
    bank.createPayment.mockRejectedValueOnce(unauthorised());
    tokens.getAccessToken.mockResolvedValueOnce('at-old').mockResolvedValueOnce('at-new');
    const outcome = await service.create(pay(), 'key-1', 'idem-p');
    const ref = { consentType: 'domestic-payment', consentId: CONSENT_ID };
    expect(tokens.invalidate).toHaveBeenCalledWith(ref, 'at-old');
    expect(bank.createPayment.mock.calls.map((c) => [c[2], c[3]])).toEqual([
      ['bank-idem-p', 'at-old'],
      ['bank-idem-p', 'at-new'],
    ]);
    expect(outcome.view.externalApiId).toBe('dp-1');
  });

  it('no refresh token for a payment consent: an expired token means consent/expired, no second call', async () => {
    const { service, bank, tokens, payments } = setup();
    bank.createPayment.mockRejectedValueOnce(unauthorised());
    tokens.getAccessToken
      .mockResolvedValueOnce('at-old')
      .mockRejectedValueOnce(new ConsentExpiredError('re-authorise'));
    await expect(service.create(pay(), 'key-1', 'idem-p')).rejects.toMatchObject({
      code: 'consent/expired',
      kind: 'forbidden',
    });
    expect(bank.createPayment).toHaveBeenCalledTimes(1);
    expect(payments.storeMade).not.toHaveBeenCalled();
  });

  it('other bank refusals are not retried', async () => {
    const { service, bank, tokens } = setup();
    bank.createPayment.mockRejectedValueOnce(unauthorised(400));
    await expect(service.create(pay(), 'key-1', 'idem-p')).rejects.toMatchObject({
      code: 'bank/request-rejected',
    });
    expect(tokens.invalidate).not.toHaveBeenCalled();
    expect(bank.createPayment).toHaveBeenCalledTimes(1);
  });

  it('accepts a given request equal to the consent (keys in another order)', async () => {
    const { service, bank } = setup();
    const reordered = Object.fromEntries(Object.entries(initiation()).reverse());
    await service.create(
      pay({ Data: { ConsentId: 'pdc-1', Initiation: reordered }, Risk: { Other: 'x' } }),
      'key-1',
      undefined,
    );
    expect(bank.createPayment.mock.calls[0][4]).toEqual({
      Data: { ConsentId: 'pdc-1', Initiation: initiation() },
      Risk: { Other: 'x' },
    });
  });

  it.each([
    ['another amount', { Data: { ConsentId: 'pdc-1', Initiation: initiation('10.51') } }],
    ['another ConsentId', { Data: { ConsentId: 'pdc-2', Initiation: initiation() } }],
  ])('refuses %s with 422 payment/consent-mismatch before any bank call', async (_, request) => {
    const { service, bank, tokens } = setup();
    await expect(service.create(pay(request), 'key-1', undefined)).rejects.toMatchObject({
      code: 'payment/consent-mismatch',
      kind: 'unprocessable',
    });
    expect(bank.createPayment).not.toHaveBeenCalled();
    expect(tokens.getAccessToken).not.toHaveBeenCalled();
  });

  it('refuses a consent that is not authorised before any bank call', async () => {
    const { service, bank } = setup(consentRow({ status: 'AWAU' }));
    await expect(service.create(pay(), 'key-1', undefined)).rejects.toMatchObject({
      code: 'consent/not-authorised',
    });
    expect(bank.createPayment).not.toHaveBeenCalled();
  });

  it('refuses a second payment on a consumed consent with consent/consumed', async () => {
    const { service, bank } = setup();
    await service.create(pay(), 'key-1', 'first');
    await expect(service.create(pay(), 'key-1', 'second')).rejects.toMatchObject({
      code: 'consent/consumed',
      kind: 'conflict',
    });
    expect(bank.createPayment).toHaveBeenCalledTimes(1);
  });

  it('same key after success: the stored payment is replayed, not refused as consumed', async () => {
    const { service, bank, idem } = setup();
    const first = await service.create(pay(), 'key-1', 'same');
    const again = await service.create(pay(), 'key-1', 'same');
    expect(again.view).toEqual(first.view);
    expect(again.idempotencyKey).toBe('same');
    expect(idem.runs).toBe(1);
    expect(bank.createPayment).toHaveBeenCalledTimes(1);
  });

  it('a take-over finding the consent consumed by its crashed holder lets the bank replay, and keeps the stored row', async () => {
    // The crashed holder committed the payment row and the Consumed status, not the record.
    const { service, bank, idem, payments } = setup(consentRow({ status: 'COND' }));
    const storedEarlier = '55555555-5555-4555-8555-555555555555';
    payments.storeMade.mockImplementationOnce(async (row: DomesticPaymentEntity) =>
      Object.assign(row, { id: storedEarlier, created: new Date('2026-02-01T10:00:00Z') }),
    );
    idem.attempt = 2;
    const outcome = await service.create(pay(), 'key-1', 'idem-p');
    expect(bank.createPayment.mock.calls.map((c) => c[2])).toEqual(['bank-idem-p']);
    expect(outcome.view).toMatchObject({ id: storedEarlier, externalApiId: 'dp-1' });
  });

  it('a first attempt on a consumed consent is still refused before any bank call', async () => {
    const { service, bank, payments } = setup(consentRow({ status: 'COND' }));
    await expect(service.create(pay(), 'key-1', 'idem-p')).rejects.toMatchObject({
      code: 'consent/consumed',
    });
    expect(bank.createPayment).not.toHaveBeenCalled();
    expect(payments.storeMade).not.toHaveBeenCalled();
  });

  it('a take-over finding the consent not authorised is refused before any bank call', async () => {
    const { service, bank, idem } = setup(consentRow({ status: 'REJC' }));
    idem.attempt = 2;
    await expect(service.create(pay(), 'key-1', 'idem-p')).rejects.toMatchObject({
      code: 'consent/not-authorised',
    });
    expect(bank.createPayment).not.toHaveBeenCalled();
  });
});

function unauthorised(status = 401): BankCallError {
  return new BankCallError('bank/request-rejected', 'unprocessable', 'rejected', {
    status,
    endpoint: 'pisp.payment.create',
    method: 'POST',
    interactionId: 'ia-x',
    body: null,
  });
}
