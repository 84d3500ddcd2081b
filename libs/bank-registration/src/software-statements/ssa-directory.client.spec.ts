import type { BankHttpClient, BankRequest } from '@obc/bank-http';
import type { Clock, RandomSource } from '@obc/common';
import type { ConnectorConfig } from '@obc/config';
import type { JwtSigner } from '../shared/jwt-signer';
import { strictMock } from '@obc/test-support/strict-mock';
import { SsaDirectoryClient } from './ssa-directory.client';

const fetchInput = {
  sandboxEnvironment: true,
  organisationId: 'org1',
  softwareId: 'soft1',
  transport: { id: 't', certificatePem: 'c', privateKeyPem: 'k' },
  signingKey: { kid: 'kid', privateKeyPem: 'seal' },
};

describe('SsaDirectoryClient', () => {
  const clock = { nowSeconds: () => 1000 } as Clock;
  const random = { uuid: () => 'jti-1' } as RandomSource;
  const config = {
    directory: {
      sandbox: {
        tokenUrl: 'https://localhost:9443/directory/token',
        ssaUrl:
          'https://localhost:9443/directory/organisations/{organisationId}/software-statements/{softwareId}/ssa',
        scope: 'ASPSPReadAccess',
      },
      production: { scope: 'x' },
    },
  } as unknown as ConnectorConfig;

  it('gets a token with a private_key_jwt over mTLS, then GETs the SSA with it', async () => {
    const http = strictMock<BankHttpClient>({
      request: jest.fn(async (req: BankRequest) =>
        req.method === 'POST'
          ? {
              status: 200,
              headers: {},
              data: { access_token: 'dir-token' },
              rawBody: '',
              interactionId: 'i',
            }
          : { status: 200, headers: {}, data: 'h.p.s\n', rawBody: 'h.p.s\n', interactionId: 'i' },
      ),
    });
    const signer = strictMock<JwtSigner>({ sign: jest.fn(async () => 'assertion') });
    const ssa = await new SsaDirectoryClient(config, http, signer, clock, random).fetchSsa(
      fetchInput,
    );

    expect(ssa).toBe('h.p.s');
    expect(signer.sign).toHaveBeenCalledWith(
      {
        iss: 'soft1',
        sub: 'soft1',
        aud: 'https://localhost:9443/directory/token',
        jti: 'jti-1',
        iat: 1000,
        exp: 1300,
      },
      { kid: 'kid', privateKeyPem: 'seal' },
    );
    const [tokenCall, ssaCall] = http.request.mock.calls.map((c) => c[0]);
    expect(tokenCall).toMatchObject({
      method: 'POST',
      url: 'https://localhost:9443/directory/token',
      transport: fetchInput.transport,
    });
    const form = new URLSearchParams(tokenCall.body as string);
    expect(Object.fromEntries(form)).toMatchObject({
      grant_type: 'client_credentials',
      client_assertion: 'assertion',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      scope: 'ASPSPReadAccess',
    });
    expect(ssaCall).toMatchObject({
      method: 'GET',
      url: 'https://localhost:9443/directory/organisations/org1/software-statements/soft1/ssa',
      headers: expect.objectContaining({ authorization: 'Bearer dir-token' }),
      transport: fetchInput.transport,
    });
  });

  it('says which settings to configure when the environment has no directory', async () => {
    const client = new SsaDirectoryClient(
      config,
      strictMock<BankHttpClient>({}),
      strictMock<JwtSigner>({}),
      clock,
      random,
    );
    await expect(
      client.fetchSsa({ ...fetchInput, sandboxEnvironment: false }),
    ).rejects.toMatchObject({
      code: 'software-statement/directory-not-configured',
      detail: expect.stringContaining('DIRECTORY_PRODUCTION_TOKEN_URL'),
    });
  });
});
