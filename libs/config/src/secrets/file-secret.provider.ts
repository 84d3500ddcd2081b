import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import {
  InvalidSecretRefError,
  SecretNotFoundError,
  SecretUnavailableError,
} from './secret.errors';
import { SecretProvider } from './secret-provider';
import { SecretRef } from './secret-ref';

/**
 * Source `file`: the contents of a file (Kubernetes secret mounts, Docker secrets). Trailing
 * newlines are dropped since editors and `echo` add them. Paths with '..' are refused so a
 * reference cannot climb out of the directory it names.
 */
export class FileSecretProvider implements SecretProvider {
  readonly source = 'file' as const;

  constructor(private readonly baseDir: string = process.cwd()) {}

  async get(ref: SecretRef): Promise<string> {
    if (ref.name.trim() === '') throw new InvalidSecretRefError(ref, 'the file path is empty');
    if (ref.name.split(/[\\/]/).includes('..'))
      throw new InvalidSecretRefError(ref, "file paths may not contain '..'");
    const path = isAbsolute(ref.name) ? ref.name : resolve(this.baseDir, ref.name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR')
        throw new SecretNotFoundError(ref, `file '${path}' does not exist`);
      if (code === 'EISDIR')
        throw new InvalidSecretRefError(ref, `'${path}' is a directory, not a file`);
      throw new SecretUnavailableError(
        ref,
        `file '${path}' is not readable (${code ?? 'error'})`,
        e,
      );
    }
    const value = text.replace(/[\r\n]+$/, '');
    if (value === '') throw new SecretNotFoundError(ref, `file '${path}' is empty`);
    return value;
  }
}
