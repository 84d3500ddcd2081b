import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '../loading/package-root';
import { CONFIG_SETTINGS } from '../settings/config-settings';
import { renderConfigurationReference } from './configuration-reference';

describe('configuration reference', () => {
  it('docs/configuration.md matches CONFIG_SETTINGS', () => {
    const path = join(findPackageRoot(), 'docs', 'configuration.md');
    let committed = '';
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      // reported below as drift
    }
    if (committed !== renderConfigurationReference()) {
      throw new Error(
        'docs/configuration.md is out of date with CONFIG_SETTINGS: run npm run docs:config (after npm run build)',
      );
    }
  });

  it('documents every setting, its secret forms and defaults', () => {
    const doc = renderConfigurationReference();
    for (const s of CONFIG_SETTINGS) expect(doc).toContain(`\`${s.env}\``);
    expect(doc).toContain('`API_KEYS_FILE`');
    expect(doc).toContain('`ENCRYPTION_KEY_SSM`');
    expect(doc).toMatch(/\| `PORT` +\| `server.port` +\| an integer 0-65535 +\| `3000` +\|/);
    expect(doc).toContain('http://localhost:PORT');
  });

  it('declares each env name and path once', () => {
    const envs = CONFIG_SETTINGS.map((s) => s.env);
    const paths = CONFIG_SETTINGS.map((s) => s.path);
    expect(new Set(envs).size).toBe(envs.length);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
