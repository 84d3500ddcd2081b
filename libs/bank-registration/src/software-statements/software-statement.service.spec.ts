import type { RandomSource } from '@obc/common';
import type { SecretResolver } from '@obc/config';
import type { SecretCipher } from '@obc/persistence';
import { ObsealCertificateEntity } from '../certificates/obseal-certificate.entity';
import type { ObsealCertificateService } from '../certificates/obseal-certificate.service';
import { ObwacCertificateEntity } from '../certificates/obwac-certificate.entity';
import type { ObwacCertificateService } from '../certificates/obwac-certificate.service';
import { DomainError } from '@obc/common';
import { fakeJwt } from '../testing/fixtures';
import { strictMock } from '@obc/test-support/strict-mock';
import type { SoftwareStatementRepository } from './software-statement.repository';
import { CreateSoftwareStatement, SoftwareStatementService } from './software-statement.service';
import type { SsaDirectoryClient } from './ssa-directory.client';

const ID = '77777777-7777-4777-8777-777777777777';
const OBWAC_ID = '88888888-8888-4888-8888-888888888888';
const OBSEAL_ID = '99999999-9999-4999-8999-999999999999';

function input(overrides: Partial<CreateSoftwareStatement> = {}): CreateSoftwareStatement {
  return {
    organisationId: 'org1',
    softwareId: 'soft1',
    sandboxEnvironment: true,
    obwacCertificateId: OBWAC_ID,
    obsealCertificateId: OBSEAL_ID,
    defaultRedirectUri: 'https://tpp.example/cb',
    redirectUris: ['https://tpp.example/other'],
    softwareStatementAssertion: { source: 'env', name: 'SSA' },
    reference: null,
    createdBy: 'key-1',
    ...overrides,
  };
}

function setup(ssa: string) {
  const repo = strictMock<SoftwareStatementRepository>({ add: jest.fn(async (row) => row) });
  const obwac = strictMock<ObwacCertificateService>({
    getReferenced: jest.fn(async (id: string) => {
      if (id !== OBWAC_ID)
        throw new DomainError(
          'obwac-certificate/unknown',
          'validation',
          'Unknown OBWAC certificate',
        );
      return Object.assign(new ObwacCertificateEntity(), { id: OBWAC_ID });
    }),
    transportFor: jest.fn(async () => ({
      id: OBWAC_ID,
      certificatePem: 'cert',
      privateKeyPem: 'key',
    })),
  });
  const obseal = strictMock<ObsealCertificateService>({
    getReferenced: jest.fn(async () =>
      Object.assign(new ObsealCertificateEntity(), { id: OBSEAL_ID }),
    ),
    signingKeyFor: jest.fn(async () => ({ kid: 'kid', privateKeyPem: 'seal' })),
  });
  const directory = strictMock<SsaDirectoryClient>({ fetchSsa: jest.fn(async () => ssa) });
  const secrets = strictMock<SecretResolver>({ resolve: jest.fn(async () => `${ssa}\n`) });
  const cipher = strictMock<SecretCipher>({
    encrypt: jest.fn(async (plain: string) => `enc(${plain.length})`),
  });
  const random = { uuid: () => ID } as RandomSource;
  return {
    repo,
    directory,
    cipher,
    secrets,
    service: new SoftwareStatementService(repo, obwac, obseal, directory, secrets, cipher, random),
  };
}

describe('SoftwareStatementService.create', () => {
  const ssa = fakeJwt({ software_id: 'soft1', org_id: 'org1' });

  it('stores a supplied SSA encrypted, bound to the row and column, and the default redirect URI first', async () => {
    const { service, cipher, directory } = setup(ssa);
    const row = await service.create(input());
    expect(directory.fetchSsa).not.toHaveBeenCalled();
    expect(cipher.encrypt).toHaveBeenCalledWith(ssa, {
      table: 'software_statement',
      rowId: ID,
      column: 'ssa',
    });
    expect(row).toMatchObject({
      ssa: `enc(${ssa.length})`,
      ssaSource: 'supplied',
      redirectUris: ['https://tpp.example/cb', 'https://tpp.example/other'],
    });
  });

  it('rejects an SSA for other software, storing nothing', async () => {
    const { service, repo } = setup(fakeJwt({ software_id: 'someone-else', org_id: 'org1' }));
    await expect(service.create(input())).rejects.toMatchObject({
      code: 'software-statement/ssa-mismatch',
      kind: 'validation',
    });
    expect(repo.add).not.toHaveBeenCalled();
  });

  it('rejects an SSA that is not a JWT', async () => {
    const { service } = setup('not-a-jwt');
    await expect(service.create(input())).rejects.toMatchObject({
      code: 'software-statement/invalid-ssa',
    });
  });

  it('fetches the SSA from the directory of the environment when none is supplied', async () => {
    const { service, directory } = setup(ssa);
    const row = await service.create(
      input({ softwareStatementAssertion: null, sandboxEnvironment: false }),
    );
    expect(directory.fetchSsa).toHaveBeenCalledWith({
      sandboxEnvironment: false,
      organisationId: 'org1',
      softwareId: 'soft1',
      transport: { id: OBWAC_ID, certificatePem: 'cert', privateKeyPem: 'key' },
      signingKey: { kid: 'kid', privateKeyPem: 'seal' },
    });
    expect(row.ssaSource).toBe('directory');
  });

  it('400s an unknown certificate id', async () => {
    const { service, repo } = setup(ssa);
    await expect(service.create(input({ obwacCertificateId: ID }))).rejects.toMatchObject({
      code: 'obwac-certificate/unknown',
    });
    expect(repo.add).not.toHaveBeenCalled();
  });
});
