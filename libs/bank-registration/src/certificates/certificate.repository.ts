import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUuid } from '../shared/uuid';
import { ObsealCertificateEntity } from './obseal-certificate.entity';
import { ObwacCertificateEntity } from './obwac-certificate.entity';

@Injectable()
export class ObwacCertificateRepository {
  constructor(
    @InjectRepository(ObwacCertificateEntity)
    private readonly rows: Repository<ObwacCertificateEntity>,
  ) {}

  async add(row: ObwacCertificateEntity): Promise<ObwacCertificateEntity> {
    return this.rows.save(row);
  }

  /** Not soft-deleted (TypeORM excludes deleted rows from find by default). */
  async findLive(id: string): Promise<ObwacCertificateEntity | null> {
    return isUuid(id) ? this.rows.findOne({ where: { id } }) : null;
  }

  async markDeleted(id: string): Promise<void> {
    await this.rows.softDelete({ id });
  }
}

@Injectable()
export class ObsealCertificateRepository {
  constructor(
    @InjectRepository(ObsealCertificateEntity)
    private readonly rows: Repository<ObsealCertificateEntity>,
  ) {}

  async add(row: ObsealCertificateEntity): Promise<ObsealCertificateEntity> {
    return this.rows.save(row);
  }

  async findLive(id: string): Promise<ObsealCertificateEntity | null> {
    return isUuid(id) ? this.rows.findOne({ where: { id } }) : null;
  }

  async markDeleted(id: string): Promise<void> {
    await this.rows.softDelete({ id });
  }
}
