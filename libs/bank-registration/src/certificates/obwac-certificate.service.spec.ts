import type { Clock, RandomSource } from '@obc/common';
import type { SecretResolver } from '@obc/config';
import { makeCertificate } from '../testing/test-certificates';
import { strictMock } from '@obc/test-support/strict-mock';
import { ObsealCertificateRepository, ObwacCertificateRepository } from './certificate.repository';
import { ObsealCertificateService } from './obseal-certificate.service';
import { ObwacCertificateService } from './obwac-certificate.service';

const ID = '11111111-1111-4111-8111-111111111111';

describe('certificate services', () => {
  const clock = { now: () => new Date() } as Clock;
  const random = { uuid: () => ID } as RandomSource;

  function setup(keyPem: string) {
    const repo = strictMock<ObwacCertificateRepository>({ add: jest.fn(async (row) => row) });
    const secrets = strictMock<SecretResolver>({ resolve: jest.fn(async () => keyPem) });
    return { repo, secrets, service: new ObwacCertificateService(repo, secrets, clock, random) };
  }

  it('stores an OBWAC certificate with its facts and the key reference only', async () => {
    const cert = await makeCertificate();
    const { repo, secrets, service } = setup(cert.privateKeyPem);
    const row = await service.register({
      certificatePem: cert.certificatePem,
      privateKey: { source: 'env', name: 'OBWAC_KEY' },
      reference: 'r',
      createdBy: 'key-1',
    });
    expect(secrets.resolve).toHaveBeenCalledWith({ source: 'env', name: 'OBWAC_KEY' });
    expect(repo.add).toHaveBeenCalledTimes(1);
    expect(row).toMatchObject({
      id: ID,
      createdBy: 'key-1',
      reference: 'r',
      privateKeySource: 'env',
      privateKeyName: 'OBWAC_KEY',
      organisationId: '0015800001041RbAAI',
      subjectDn: expect.stringContaining('2.5.4.97=PSDGB-OB-Unknown0015800001041RB'),
    });
    expect(JSON.stringify(row)).not.toContain('PRIVATE KEY');
    expect(row.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a key that is not the certificate key, storing nothing', async () => {
    const cert = await makeCertificate();
    const other = await makeCertificate('CN=other');
    const { repo, service } = setup(other.privateKeyPem);
    await expect(
      service.register({
        certificatePem: cert.certificatePem,
        privateKey: { source: 'env', name: 'K' },
        reference: null,
        createdBy: 'k',
      }),
    ).rejects.toMatchObject({ code: 'obwac-certificate/key-mismatch', kind: 'validation' });
    expect(repo.add).not.toHaveBeenCalled();
  });

  it('rejects invalid PEM and expired certificates before resolving the key', async () => {
    const { repo, secrets, service } = setup('unused');
    await expect(
      service.register({
        certificatePem: 'not a pem',
        privateKey: { source: 'env', name: 'K' },
        reference: null,
        createdBy: 'k',
      }),
    ).rejects.toMatchObject({ code: 'certificate/invalid-pem' });
    const old = await makeCertificate('CN=old', {
      notBefore: new Date(Date.now() - 7_200_000),
      notAfter: new Date(Date.now() - 3_600_000),
    });
    await expect(
      service.register({
        certificatePem: old.certificatePem,
        privateKey: { source: 'env', name: 'K' },
        reference: null,
        createdBy: 'k',
      }),
    ).rejects.toMatchObject({ code: 'certificate/expired' });
    expect(secrets.resolve).not.toHaveBeenCalled();
    expect(repo.add).not.toHaveBeenCalled();
  });

  it('404s an unknown OBWAC id and 400s an unknown referenced one', async () => {
    const repo = strictMock<ObwacCertificateRepository>({ findLive: jest.fn(async () => null) });
    const service = new ObwacCertificateService(
      repo,
      strictMock<SecretResolver>({}),
      clock,
      random,
    );
    await expect(service.get(ID)).rejects.toMatchObject({ kind: 'not-found' });
    await expect(service.getReferenced(ID)).rejects.toMatchObject({
      code: 'obwac-certificate/unknown',
      kind: 'validation',
    });
  });

  it('OBSeal: checks the key against the certificate when one is given', async () => {
    const cert = await makeCertificate('CN=seal');
    const other = await makeCertificate('CN=other');
    const repo = strictMock<ObsealCertificateRepository>({ add: jest.fn(async (row) => row) });
    const mismatched = new ObsealCertificateService(
      repo,
      strictMock<SecretResolver>({ resolve: jest.fn(async () => other.privateKeyPem) }),
      clock,
      random,
    );
    await expect(
      mismatched.register({
        keyId: 'kid-1',
        privateKey: { source: 'env', name: 'K' },
        certificatePem: cert.certificatePem,
        reference: null,
        createdBy: 'k',
      }),
    ).rejects.toMatchObject({ code: 'obseal-certificate/key-mismatch' });
    expect(repo.add).not.toHaveBeenCalled();

    const keyOnly = new ObsealCertificateService(
      repo,
      strictMock<SecretResolver>({ resolve: jest.fn(async () => other.privateKeyPem) }),
      clock,
      random,
    );
    const row = await keyOnly.register({
      keyId: 'kid-1',
      privateKey: { source: 'file', name: '/k.pem' },
      certificatePem: null,
      reference: null,
      createdBy: 'k',
    });
    expect(row).toMatchObject({
      keyId: 'kid-1',
      privateKeySource: 'file',
      privateKeyName: '/k.pem',
      certificatePem: null,
    });
  });

  it('OBSeal: a reference that is not a private key is rejected', async () => {
    const repo = strictMock<ObsealCertificateRepository>({ add: jest.fn() });
    const service = new ObsealCertificateService(
      repo,
      strictMock<SecretResolver>({ resolve: jest.fn(async () => 'garbage') }),
      clock,
      random,
    );
    await expect(
      service.register({
        keyId: 'k',
        privateKey: { source: 'env', name: 'K' },
        certificatePem: null,
        reference: null,
        createdBy: 'k',
      }),
    ).rejects.toMatchObject({ code: 'obseal-certificate/invalid-key' });
  });
});
