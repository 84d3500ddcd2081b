import { INestApplication, VersioningType } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { createValidationPipe, ProblemDetailsFilter } from '@obc/common';
import { ObwacCertificateEntity } from './certificates/obwac-certificate.entity';
import { ObwacCertificateService } from './certificates/obwac-certificate.service';
import { ObwacCertificatesController } from './certificates/obwac-certificates.controller';
import { ObsealCertificateService } from './certificates/obseal-certificate.service';
import { ObsealCertificatesController } from './certificates/obseal-certificates.controller';
import { BankRegistrationEntity } from './registrations/bank-registration.entity';
import { BankRegistrationService } from './registrations/bank-registration.service';
import { BankRegistrationsController } from './registrations/bank-registrations.controller';
import { RegistrationManagementService } from './registrations/registration-management.service';
import { SoftwareStatementService } from './software-statements/software-statement.service';
import { SoftwareStatementsController } from './software-statements/software-statements.controller';
import { strictMock } from '@obc/test-support/strict-mock';

const SS_ID = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const REG_ID = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';

function registrationRow(): BankRegistrationEntity {
  return Object.assign(new BankRegistrationEntity(), {
    id: REG_ID,
    created: new Date('2026-01-01T00:00:00Z'),
    createdBy: 'key-1',
    reference: null,
    bankProfile: 'mock-bank',
    softwareStatementId: SS_ID,
    status: 'registered',
    externalApiId: 'client-1',
    clientSecret: 'obc1.k.iv.ct.tag',
    registrationAccessToken: 'obc1.k.iv.ct2.tag',
    tokenEndpointAuthMethod: 'private_key_jwt',
    scopes: ['openid', 'accounts'],
    redirectUris: ['https://tpp.example/cb'],
    defaultRedirectUri: 'https://tpp.example/cb',
    registrationMode: 'dcr',
    externalApiResponse: { client_id: 'client-1' },
    idempotencyKey: 'k',
    requestHash: 'h',
    dcrJti: 'j',
  });
}

describe('management controllers (validation and shape)', () => {
  let app: INestApplication;
  const registrations = strictMock<BankRegistrationService>({
    create: jest.fn(async () => ({
      row: registrationRow(),
      replayed: false,
      interactionId: 'ia-1',
    })),
    list: jest.fn(async () => [registrationRow()]),
  });
  const management = strictMock<RegistrationManagementService>({
    read: jest.fn(async () => ({ row: registrationRow() })),
    remove: jest.fn(async () => ({})),
  });
  const obwac = strictMock<ObwacCertificateService>({
    register: jest.fn(async () =>
      Object.assign(new ObwacCertificateEntity(), {
        id: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee',
        created: new Date(),
        createdBy: 'key-1',
        reference: null,
        certificatePem: 'PEM',
        privateKeySource: 'env',
        privateKeyName: 'K',
        subjectDn: 'CN=x',
        organisationId: null,
        notAfter: new Date('2027-01-01T00:00:00Z'),
        fingerprint: 'ab',
      }),
    ),
  });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [
        ObwacCertificatesController,
        ObsealCertificatesController,
        SoftwareStatementsController,
        BankRegistrationsController,
      ],
      providers: [
        { provide: BankRegistrationService, useValue: registrations },
        { provide: RegistrationManagementService, useValue: management },
        { provide: ObwacCertificateService, useValue: obwac },
        { provide: ObsealCertificateService, useValue: strictMock<ObsealCertificateService>({}) },
        { provide: SoftwareStatementService, useValue: strictMock<SoftwareStatementService>({}) },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    app.useGlobalPipes(createValidationPipe());
    await app.init();
  });

  afterAll(async () => app.close());
  beforeEach(() => jest.clearAllMocks());

  const validRegistration = { bankProfile: 'mock-bank', softwareStatementId: SS_ID };

  it('creates a bank registration: 201, the Idempotency-Key passed on, interaction id echoed, no secrets returned', async () => {
    const res = await request(app.getHttpServer())
      .post('/v1/manage/bank-registrations')
      .set('Idempotency-Key', 'key-abc')
      .send({ ...validRegistration, scopes: ['openid', 'accounts'] })
      .expect(201);
    expect(registrations.create).toHaveBeenCalledWith(
      expect.objectContaining({
        bankProfile: 'mock-bank',
        softwareStatementId: SS_ID,
        scopes: ['openid', 'accounts'],
        externalApiId: null,
        createdBy: 'anonymous',
      }),
      'key-abc',
    );
    expect(res.headers['x-fapi-interaction-id']).toBe('ia-1');
    expect(res.body).toEqual({
      id: REG_ID,
      created: '2026-01-01T00:00:00.000Z',
      createdBy: 'key-1',
      reference: null,
      bankProfile: 'mock-bank',
      softwareStatementId: SS_ID,
      externalApiId: 'client-1',
      tokenEndpointAuthMethod: 'private_key_jwt',
      scopes: ['openid', 'accounts'],
      redirectUris: ['https://tpp.example/cb'],
      defaultRedirectUri: 'https://tpp.example/cb',
      registrationMode: 'dcr',
      externalApiResponse: { client_id: 'client-1' },
    });
  });

  it.each([
    ['an unknown field', { ...validRegistration, clientSecret: 'inline' }, 'clientSecret'],
    ['a missing bankProfile', { softwareStatementId: SS_ID }, 'bankProfile'],
    [
      'a non-UUID software statement id',
      { ...validRegistration, softwareStatementId: 'x' },
      'softwareStatementId',
    ],
    [
      'an inline secret instead of a SecretRef',
      { ...validRegistration, externalApiId: 'c', externalApiSecret: 'plain' },
      'externalApiSecret',
    ],
    [
      'a SecretRef with an unknown source',
      {
        ...validRegistration,
        externalApiId: 'c',
        externalApiSecret: { source: 'vault', name: 'x' },
      },
      'externalApiSecret.source',
    ],
    ['a scope with a space', { ...validRegistration, scopes: ['openid accounts'] }, 'scopes'],
  ])('rejects %s with 400 naming the field', async (_label, body, field) => {
    const res = await request(app.getHttpServer())
      .post('/v1/manage/bank-registrations')
      .send(body)
      .expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(registrations.create).not.toHaveBeenCalled();
  });

  it('passes the exclude header to GET and DELETE', async () => {
    await request(app.getHttpServer())
      .get(`/v1/manage/bank-registrations/${REG_ID}`)
      .set('x-exclude-external-api-operation', 'true')
      .expect(200);
    expect(management.read).toHaveBeenCalledWith(REG_ID, true);
    await request(app.getHttpServer())
      .delete(`/v1/manage/bank-registrations/${REG_ID}`)
      .expect(204);
    expect(management.remove).toHaveBeenCalledWith(REG_ID, false);
  });

  it('lists bank registrations as an array', async () => {
    const res = await request(app.getHttpServer()).get('/v1/manage/bank-registrations').expect(200);
    expect(res.body).toHaveLength(1);
    expect(JSON.stringify(res.body)).not.toContain('obc1.');
  });

  it('OBWAC: requires a SecretRef private key and returns the reference, not a key', async () => {
    await request(app.getHttpServer())
      .post('/v1/manage/obwac-certificates')
      .send({ certificatePem: 'PEM' })
      .expect(400);
    const res = await request(app.getHttpServer())
      .post('/v1/manage/obwac-certificates')
      .send({ certificatePem: 'PEM', privateKey: { source: 'env', name: 'K' }, reference: 'mine' })
      .expect(201);
    expect(obwac.register).toHaveBeenCalledWith({
      certificatePem: 'PEM',
      privateKey: { source: 'env', name: 'K' },
      reference: 'mine',
      createdBy: 'anonymous',
    });
    expect(res.body).toMatchObject({
      subjectDn: 'CN=x',
      notAfter: '2027-01-01T00:00:00.000Z',
      privateKey: { source: 'env', name: 'K' },
    });
  });

  it('software statements: rejects a missing sandboxEnvironment and a non-URL redirect', async () => {
    const res = await request(app.getHttpServer())
      .post('/v1/manage/software-statements')
      .send({
        organisationId: 'org1',
        softwareId: 'soft1',
        obwacCertificateId: SS_ID,
        obsealCertificateId: SS_ID,
        defaultRedirectUri: 'not a url',
      })
      .expect(400);
    const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['sandboxEnvironment', 'defaultRedirectUri']));
  });
});
