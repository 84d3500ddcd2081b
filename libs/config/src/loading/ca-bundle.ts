import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads a PEM CA bundle and checks every certificate in it parses, so a wrong file fails at
 * start-up rather than at the first bank call. Returns the PEM text or a problem description.
 */
export function readCaBundle(
  path: string,
): { ok: true; pem: string } | { ok: false; expected: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return {
      ok: false,
      expected: `expected a readable PEM file, could not read '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    };
  }
  const blocks = text.match(PEM_CERT) ?? [];
  if (blocks.length === 0)
    return {
      ok: false,
      expected: `expected a PEM file with at least one CERTIFICATE, found none in '${path}'`,
    };
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return {
        ok: false,
        expected: `expected valid PEM certificates, certificate ${i + 1} in '${path}' does not parse`,
      };
    }
  }
  return { ok: true, pem: blocks.join('\n') + '\n' };
}
