import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { EncryptionKeyEntity } from './encryption-key.entity';

/** Storage of key references, with intent-named methods. */
@Injectable()
export class EncryptionKeyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(EncryptionKeyEntity);
  }

  findCurrent(): Promise<EncryptionKeyEntity | null> {
    return this.repo.findOne({ where: { isCurrent: true, deleted: IsNull() } });
  }

  /** Includes soft-deleted keys: values written under them must still decrypt. */
  findByIdIncludingDeleted(id: string): Promise<EncryptionKeyEntity | null> {
    return this.repo.findOne({ where: { id }, withDeleted: true });
  }

  findById(id: string): Promise<EncryptionKeyEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  list(): Promise<EncryptionKeyEntity[]> {
    return this.repo.find({ order: { created: 'ASC', id: 'ASC' } });
  }

  /** Inserts the key; when it becomes current, the previous current key is unset in the same transaction. */
  insert(key: EncryptionKeyEntity): Promise<EncryptionKeyEntity> {
    return this.dataSource.transaction(async (manager) => {
      if (key.isCurrent) {
        // Serialise "make current" across replicas; otherwise two concurrent registrations could
        // each miss the other's new row and the second would hit the single-current index.
        if (this.dataSource.options.type === 'postgres') {
          await manager.query(
            `SELECT pg_advisory_xact_lock(hashtext('obc.encryption_key.current'))`,
          );
        }
        await manager.update(EncryptionKeyEntity, { isCurrent: true }, { isCurrent: false });
      }
      return manager.save(EncryptionKeyEntity, key);
    });
  }
}
