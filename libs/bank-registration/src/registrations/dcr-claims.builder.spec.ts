import { makeCertificate } from '../testing/test-certificates';
import { buildDcrClaims, DcrClaimsInput } from './dcr-claims.builder';

describe('buildDcrClaims', () => {
  let base: DcrClaimsInput;

  beforeAll(async () => {
    const { certificatePem } = await makeCertificate(
      'C=GB, O=OpenBanking, OU=org1, 2.5.4.97=PSDGB-OB-org1, CN=soft1',
    );
    base = {
      registration: {
        audience: 'financial-id',
        scopeFormat: 'space-separated',
        subjectDnFormat: 'oid',
      },
      tokenEndpointAuthMethod: 'private_key_jwt',
      financialId: '0015800001041RbAAI',
      issuer: 'https://bank.example/as',
      softwareId: 'soft1',
      softwareStatement: 'ssa.jwt.sig',
      transportCertificatePem: certificatePem,
      redirectUris: ['https://tpp.example/cb'],
      scopes: ['openid', 'accounts'],
      jti: '6f4a2c1e-2f1d-4b8e-9a3c-1d2e3f4a5b6c',
      nowSeconds: 1_700_000_000,
    };
  });

  it('builds OBClientRegistration1 claims', () => {
    expect(buildDcrClaims(base)).toEqual({
      iss: 'soft1',
      iat: 1_700_000_000,
      exp: 1_700_000_300,
      aud: '0015800001041RbAAI',
      jti: base.jti,
      redirect_uris: ['https://tpp.example/cb'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'PS256',
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code id_token'],
      software_id: 'soft1',
      scope: 'openid accounts',
      software_statement: 'ssa.jwt.sig',
      application_type: 'web',
      id_token_signed_response_alg: 'PS256',
      request_object_signing_alg: 'PS256',
      tls_client_auth_subject_dn: 'CN=soft1,2.5.4.97=PSDGB-OB-org1,OU=org1,O=OpenBanking,C=GB',
    });
  });

  it('uses the issuer as audience, a scope array and the named DN attribute when the profile says so', () => {
    const claims = buildDcrClaims({
      ...base,
      registration: { audience: 'issuer', scopeFormat: 'array', subjectDnFormat: 'string' },
      tokenEndpointAuthMethod: 'tls_client_auth',
    });
    expect(claims.aud).toBe('https://bank.example/as');
    expect(claims.scope).toEqual(['openid', 'accounts']);
    expect(claims.tls_client_auth_subject_dn).toBe(
      'CN=soft1,organizationIdentifier=PSDGB-OB-org1,OU=org1,O=OpenBanking,C=GB',
    );
    expect(claims.token_endpoint_auth_method).toBe('tls_client_auth');
    expect(claims).not.toHaveProperty('token_endpoint_auth_signing_alg');
  });

  it("writes organizationIdentifier as the hex of its encoding with subjectDnFormat 'oid-hex'", () => {
    const claims = buildDcrClaims({
      ...base,
      registration: { ...base.registration, subjectDnFormat: 'oid-hex' },
      tokenEndpointAuthMethod: 'tls_client_auth',
    });
    // PrintableString (0x13) of 13 (0x0D) characters: "PSDGB-OB-org1"
    const hex = Buffer.concat([Buffer.from([0x13, 0x0d]), Buffer.from('PSDGB-OB-org1')])
      .toString('hex')
      .toUpperCase();
    expect(hex).toBe('130D50534447422D4F422D6F726731');
    expect(claims.tls_client_auth_subject_dn).toBe(
      `CN=soft1,2.5.4.97=#${hex},OU=org1,O=OpenBanking,C=GB`,
    );
  });

  it('sends subject_type only when the profile names one (registration.subjectType)', () => {
    expect(buildDcrClaims(base)).not.toHaveProperty('subject_type');
    const claims = buildDcrClaims({
      ...base,
      registration: { ...base.registration, subjectType: 'pairwise' },
    });
    expect(claims.subject_type).toBe('pairwise');
  });

  it('lists the grant types the profile names (registration.grantTypes), the standard three by default', () => {
    expect(buildDcrClaims(base).grant_types).toEqual([
      'authorization_code',
      'refresh_token',
      'client_credentials',
    ]);
    const claims = buildDcrClaims({
      ...base,
      registration: {
        ...base.registration,
        grantTypes: ['client_credentials', 'authorization_code'],
      },
    });
    expect(claims.grant_types).toEqual(['client_credentials', 'authorization_code']);
  });

  it('registers the response type the profile authorises with (quirks.authorisation.responseType)', () => {
    expect(buildDcrClaims({ ...base, responseType: 'code' }).response_types).toEqual(['code']);
    expect(buildDcrClaims({ ...base, responseType: 'code id_token' }).response_types).toEqual([
      'code id_token',
    ]);
  });
});
