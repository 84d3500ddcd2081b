import { Injectable } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { DomainError } from '@obc/common';
import type { BankProfile } from '@obc/bank-profiles';

/**
 * The extra CA certificates a profile trusts (its `tls.caBundleFile`), read once per file. The
 * connector-wide bundle is added by the bank HTTP layer itself.
 */
@Injectable()
export class BankTrust {
  private readonly bundles = new Map<string, Promise<string>>();

  async trustedCaPemFor(profile: Pick<BankProfile, 'id' | 'tls'>): Promise<string | undefined> {
    const file = profile.tls?.caBundleFile;
    if (!file) return undefined;
    let bundle = this.bundles.get(file);
    if (!bundle) {
      bundle = readFile(file, 'utf8').catch((e: unknown) => {
        this.bundles.delete(file);
        throw new DomainError(
          'bank-profile/ca-bundle-unreadable',
          'internal',
          'A bank profile CA bundle cannot be read',
          {
            detail: `The CA bundle of bank profile '${profile.id}' (${file}) cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
          },
        );
      });
      this.bundles.set(file, bundle);
    }
    return bundle;
  }
}
