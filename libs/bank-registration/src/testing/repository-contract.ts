import {
  createDataSourceOptions,
  persistenceMigrations,
  type DatabaseSettings,
} from '@obc/persistence';
import { DataSource } from 'typeorm';
import { ObsealCertificateEntity } from '../certificates/obseal-certificate.entity';
import { ObwacCertificateEntity } from '../certificates/obwac-certificate.entity';
import { bankRegistrationMigrations } from '../migrations';
import { BankRegistrationEntity } from '../registrations/bank-registration.entity';
import {
  BankRegistrationRepository,
  isUniqueViolation,
} from '../registrations/bank-registration.repository';
import { SoftwareStatementEntity } from '../software-statements/software-statement.entity';

export const ENTITIES = [
  ObwacCertificateEntity,
  ObsealCertificateEntity,
  SoftwareStatementEntity,
  BankRegistrationEntity,
];

/** Opens a data source with every migration this lib needs applied (test-only). */
export async function openMigrated(settings: DatabaseSettings): Promise<DataSource> {
  const ds = await new DataSource(
    createDataSourceOptions(settings, [...persistenceMigrations, ...bankRegistrationMigrations], {
      entities: ENTITIES,
    }),
  ).initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

let counter = 0;
function uuid(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

/** Rows through the migrated schema: the same checks on SQLite (unit) and PostgreSQL (integration). */
export async function exerciseRepositories(ds: DataSource): Promise<void> {
  const obwac = Object.assign(new ObwacCertificateEntity(), {
    id: uuid(),
    createdBy: 'k',
    reference: null,
    certificatePem: 'PEM',
    privateKeySource: 'env',
    privateKeyName: 'K',
    subjectDn: 'CN=x',
    organisationId: 'org',
    notAfter: new Date('2030-01-01T00:00:00Z'),
    fingerprint: 'f'.repeat(64),
  });
  const obseal = Object.assign(new ObsealCertificateEntity(), {
    id: uuid(),
    createdBy: 'k',
    reference: null,
    keyId: 'kid',
    privateKeySource: 'env',
    privateKeyName: 'K',
    certificatePem: null,
  });
  await ds.getRepository(ObwacCertificateEntity).save(obwac);
  await ds.getRepository(ObsealCertificateEntity).save(obseal);
  const statement = Object.assign(new SoftwareStatementEntity(), {
    id: uuid(),
    createdBy: 'k',
    reference: null,
    organisationId: 'org',
    softwareId: 'soft',
    sandboxEnvironment: true,
    obwacCertificateId: obwac.id,
    obsealCertificateId: obseal.id,
    defaultRedirectUri: 'https://tpp/cb',
    redirectUris: ['https://tpp/cb', 'https://tpp/other'],
    ssa: 'obc1.enc',
    ssaSource: 'supplied',
  });
  await ds.getRepository(SoftwareStatementEntity).save(statement);
  const loaded = await ds
    .getRepository(SoftwareStatementEntity)
    .findOneByOrFail({ id: statement.id });
  expect(loaded.redirectUris).toEqual(['https://tpp/cb', 'https://tpp/other']);
  expect(loaded.sandboxEnvironment).toBe(true);

  const repo = new BankRegistrationRepository(ds.getRepository(BankRegistrationEntity));
  const row = (key: string | null, status: 'pending' | 'registered') =>
    Object.assign(new BankRegistrationEntity(), {
      id: uuid(),
      createdBy: 'k',
      reference: null,
      bankProfile: 'mock-bank',
      softwareStatementId: statement.id,
      status,
      externalApiId: status === 'registered' ? 'client' : null,
      clientSecret: null,
      registrationAccessToken: null,
      tokenEndpointAuthMethod: 'private_key_jwt',
      scopes: ['openid', 'accounts'],
      redirectUris: ['https://tpp/cb'],
      defaultRedirectUri: 'https://tpp/cb',
      registrationMode: 'dcr',
      externalApiResponse: { client_id: 'client', nested: { a: 1 } },
      idempotencyKey: key,
      requestHash: key ? 'h' : null,
      dcrJti: null,
    });

  const first = await repo.add(row('key-1', 'registered'));
  await repo.add(row(null, 'registered'));
  await repo.add(row(null, 'registered')); // several rows without a key are fine
  const duplicate = await repo.add(row('key-1', 'pending')).catch((e: unknown) => e);
  expect(isUniqueViolation(duplicate)).toBe(true);

  const found = await repo.findRegistered(first.id);
  expect(found?.externalApiResponse).toEqual({ client_id: 'client', nested: { a: 1 } });
  expect(found?.scopes).toEqual(['openid', 'accounts']);
  expect(await repo.findRegistered('not-a-uuid')).toBeNull();

  await repo.markDeleted(first.id);
  expect(await repo.findRegistered(first.id)).toBeNull();
  expect((await repo.findByIdempotencyKey('key-1'))?.id).toBe(first.id);
  expect(await repo.listRegistered()).toHaveLength(2);

  const pending = await repo.add(row('key-2', 'pending'));
  expect(await repo.findRegistered(pending.id)).toBeNull();
  await repo.discardPending(pending.id);
  expect(await repo.findByIdempotencyKey('key-2')).toBeNull();

  // registration.sharedWith: the group profile's live rows, and the brands' rows sharing a client.
  const groupRows = await repo.listRegisteredFor('mock-bank', statement.id);
  expect(groupRows).toHaveLength(2);
  expect(groupRows.every((r) => r.status === 'registered')).toBe(true);
  expect(await repo.listRegisteredFor('other-bank', statement.id)).toEqual([]);
  const brand = await repo.add(
    Object.assign(row(null, 'registered'), {
      bankProfile: 'brand-bank',
      registrationMode: 'shared',
    }),
  );
  expect((await repo.listSharing('client')).map((r) => r.id)).toEqual([brand.id]);
  await repo.markDeleted(brand.id);
  expect(await repo.listSharing('client')).toEqual([]);
}
