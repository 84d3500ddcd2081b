import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serialiseOpenApi } from '@obc/http-api';
import { generateOpenApiDocument } from './openapi-document';

describe('committed OpenAPI document', () => {
  it('matches what the code generates (run `npm run openapi:generate` after changing the API)', async () => {
    const committed = readFileSync(join(__dirname, '../../../docs/openapi.json'), 'utf8');
    const generated = serialiseOpenApi(await generateOpenApiDocument());
    expect(generated).toEqual(committed);
  });

  it('describes every route of the management contract', async () => {
    const doc = await generateOpenApiDocument();
    const paths = Object.keys(doc.paths);
    for (const path of [
      '/v1/manage/obwac-certificates',
      '/v1/manage/obwac-certificates/{id}',
      '/v1/manage/obseal-certificates',
      '/v1/manage/obseal-certificates/{id}',
      '/v1/manage/software-statements',
      '/v1/manage/software-statements/{id}',
      '/v1/manage/encryption-keys',
      '/v1/manage/bank-profiles',
      '/v1/manage/bank-profiles/{profileId}',
      '/v1/manage/bank-registrations',
      '/v1/manage/bank-registrations/{id}',
      '/health/live',
      '/health/ready',
    ]) {
      expect(paths).toContain(path);
    }
  });
});
