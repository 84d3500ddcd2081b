import { Injectable } from '@nestjs/common';
import { DomainError } from '@obc/common';
import type { ConsentType } from '@obc/bank-profiles';
import type { ConsentAuthorisationTarget } from './consent-authorisation-target';

/**
 * The consent types that can be authorised, filled by the feature modules at start-up. An
 * unknown type is a wiring mistake (the feature module is not imported), not a caller error.
 */
@Injectable()
export class ConsentAuthorisationRegistry {
  private readonly targets = new Map<ConsentType, ConsentAuthorisationTarget>();

  register(target: ConsentAuthorisationTarget): void {
    if (this.targets.has(target.consentType)) {
      throw new Error(`consent type '${target.consentType}' is registered twice`);
    }
    this.targets.set(target.consentType, target);
  }

  get(consentType: string): ConsentAuthorisationTarget {
    const target = this.targets.get(consentType as ConsentType);
    if (target) return target;
    const known = [...this.targets.keys()];
    throw new DomainError(
      'auth-context/unknown-consent-type',
      'internal',
      'The consent type cannot be authorised',
      {
        detail: `No module serves authorisation of '${consentType}' consents. Registered: ${
          known.length > 0 ? known.join(', ') : '(none)'
        }. Import the feature module that registers it in the connector's AppModule.`,
      },
    );
  }

  has(consentType: string): boolean {
    return this.targets.has(consentType as ConsentType);
  }
}
