import { Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, Repository, type EntityManager } from 'typeorm';
import { ConsentTokenBusyError } from '../consent-grant.error';
import {
  DEFAULT_REFRESH_LOCK_WAIT_SECONDS,
  TokenManagementSettings,
} from '../token-management.settings';
import type { ConsentRef } from './consent-ref';
import { ConsentTokenEntity } from './consent-token.entity';

/**
 * SQLite (better-sqlite3) has one connection: a second transaction started while one is open
 * fails ("cannot start a transaction within a transaction"), so this lib's transactions queue
 * per data source. PostgreSQL needs no queue: each transaction has its own pooled connection.
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

function serialisedOnSqlite<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dataSource.options.type === 'postgres') return work();
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(work, work);
  sqliteQueues.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}

/** Saves a row inside the transaction of withLockedRow. */
export type SaveInTransaction = (row: ConsentTokenEntity) => Promise<void>;

/** The consent_token table; the service never touches TypeORM itself. */
@Injectable()
export class ConsentTokenRepository {
  private readonly lockWaitMs: number;

  constructor(
    @InjectRepository(ConsentTokenEntity)
    private readonly rows: Repository<ConsentTokenEntity>,
    @Optional() settings?: TokenManagementSettings,
  ) {
    this.lockWaitMs =
      (settings?.refreshLockWaitSeconds ?? DEFAULT_REFRESH_LOCK_WAIT_SECONDS) * 1000;
  }

  async find(ref: ConsentRef): Promise<ConsentTokenEntity | null> {
    return this.rows.findOneBy({ consentType: ref.consentType, consentId: ref.consentId });
  }

  async exists(ref: ConsentRef): Promise<boolean> {
    return this.rows.existsBy({ consentType: ref.consentType, consentId: ref.consentId });
  }

  async delete(ref: ConsentRef): Promise<void> {
    await this.rows.delete({ consentType: ref.consentType, consentId: ref.consentId });
  }

  /**
   * Marks the stored access token expired, if it is still the given version (a newer one, from
   * another replica's refresh, is left alone), so the next use refreshes it.
   */
  async expireVersion(ref: ConsentRef, version: number, at: Date): Promise<void> {
    await this.rows.update(
      { consentType: ref.consentType, consentId: ref.consentId, version },
      { accessTokenExpiresAt: at },
    );
  }

  /**
   * Runs `work` in a transaction holding the consent's row: `SELECT … FOR UPDATE` on PostgreSQL,
   * so another replica doing the same waits until this one commits and then reads its result.
   * SQLite has a single writer, so the transaction alone serialises. Whatever `work` saves
   * commits together; a throw rolls everything back. The wait for the lock is bounded
   * (`lock_timeout`, TOKEN_REFRESH_LOCK_WAIT_SECONDS): beyond it, ConsentTokenBusyError. A
   * holder that dies loses the lock with its connection, so only a hung one makes callers wait.
   */
  async withLockedRow<T>(
    ref: ConsentRef,
    work: (row: ConsentTokenEntity | null, save: SaveInTransaction) => Promise<T>,
  ): Promise<T> {
    const dataSource = this.rows.manager.connection;
    return serialisedOnSqlite(dataSource, () =>
      dataSource.transaction(async (manager: EntityManager) => {
        const query = manager
          .getRepository(ConsentTokenEntity)
          .createQueryBuilder('t')
          .where('t.consentType = :consentType AND t.consentId = :consentId', {
            consentType: ref.consentType,
            consentId: ref.consentId,
          });
        const postgres = manager.connection.options.type === 'postgres';
        if (postgres) {
          query.setLock('pessimistic_write');
          // For this transaction only; an integer, so nothing is interpolated but a number.
          await manager.query(`SET LOCAL lock_timeout = ${Math.floor(this.lockWaitMs)}`);
        }
        let row: ConsentTokenEntity | null;
        try {
          row = await query.getOne();
        } catch (error) {
          if (postgres && isLockNotAvailable(error))
            throw new ConsentTokenBusyError(
              `The ${ref.consentType} consent ${ref.consentId} is being refreshed by another call that has held it for over ${this.lockWaitMs / 1000} s; retry later.`,
              error,
            );
          throw error;
        }
        return work(row, async (changed) => {
          await manager.save(ConsentTokenEntity, changed);
        });
      }),
    );
  }
}

/** PostgreSQL lock_not_available: `lock_timeout` ran out while waiting for a row lock. */
function isLockNotAvailable(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  return (error.driverError as { code?: unknown } | undefined)?.code === '55P03';
}

/** PostgreSQL unique_violation, or SQLite's UNIQUE constraint failure. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: unknown } | undefined;
  return (
    driverError?.code === '23505' ||
    driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/i.test(error.message)
  );
}
