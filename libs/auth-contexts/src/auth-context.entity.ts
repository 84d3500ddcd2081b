import { Column, Entity, Index } from 'typeorm';
import type { ConsentType } from '@obc/bank-profiles';
import { ConnectorBaseEntity } from '@obc/persistence';

export const AUTH_CONTEXT_TABLE = 'auth_context';

/**
 * One authorisation attempt of a consent: the random state and nonce sent to the bank, and the
 * PKCE verifier (encrypted: with the code it would redeem the grant). Single use: `consumedAt`
 * is set atomically by the first redirect carrying the state.
 */
@Entity(AUTH_CONTEXT_TABLE)
export class AuthContextEntity extends ConnectorBaseEntity {
  @Column({ type: 'varchar', length: 32 })
  consentType!: ConsentType;

  /** The connector's consent id. */
  @Column({ type: 'varchar', length: 36 })
  consentId!: string;

  @Index('UQ_auth_context_state', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  state!: string;

  @Column({ type: 'varchar', length: 128 })
  nonce!: string;

  /** SecretCipher value, AAD `{ table: auth_context, rowId: id, column: codeVerifier }`. */
  @Column({ type: 'text', nullable: true })
  codeVerifier!: string | null;

  @Column({ type: 'varchar', length: 2048 })
  redirectUri!: string;

  @Column({ type: 'varchar', length: 16 })
  responseMode!: 'fragment' | 'query';

  /** The caller's own session id, echoed for its records. */
  @Column({ type: 'varchar', length: 256, nullable: true })
  appSessionId!: string | null;

  @Column()
  expiresAt!: Date;

  @Column({ nullable: true, type: Date })
  consumedAt!: Date | null;
}
