import { Column, Entity, Index } from 'typeorm';
import { ConnectorBaseEntity } from '@obc/persistence';
import type { ConsentType } from './consent-ref';

export const CONSENT_TOKEN_TABLE = 'consent_token';

/**
 * The tokens of one authorised consent. Rows are deleted (not soft-deleted) on revoke: a revoked
 * token is worth nothing and is a secret, so it is not kept.
 */
@Entity(CONSENT_TOKEN_TABLE)
@Index('UQ_consent_token_consent', ['consentType', 'consentId'], { unique: true })
export class ConsentTokenEntity extends ConnectorBaseEntity {
  @Column({ type: 'varchar', length: 32 })
  consentType!: ConsentType;

  @Column({ type: 'varchar', length: 128 })
  consentId!: string;

  /** Encrypted (SecretCipher, AAD column `accessToken`). */
  @Column({ type: 'text' })
  accessToken!: string;

  /** Encrypted (SecretCipher, AAD column `refreshToken`); null when the bank gave none. */
  @Column({ type: 'text', nullable: true })
  refreshToken!: string | null;

  /** When the bank said the access token expires; null when it did not say (used until refused). */
  @Column({ type: Date, nullable: true })
  accessTokenExpiresAt!: Date | null;

  /** Set when the bank refused the refresh token: later calls fail without asking it again. */
  @Column({ type: Date, nullable: true })
  refreshRefusedAt!: Date | null;

  /** Incremented whenever the tokens change, so a replica can tell another one refreshed. */
  @Column({ type: 'int' })
  version!: number;
}
