import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUuid } from '../shared/uuid';
import { SoftwareStatementEntity } from './software-statement.entity';

@Injectable()
export class SoftwareStatementRepository {
  constructor(
    @InjectRepository(SoftwareStatementEntity)
    private readonly rows: Repository<SoftwareStatementEntity>,
  ) {}

  async add(row: SoftwareStatementEntity): Promise<SoftwareStatementEntity> {
    return this.rows.save(row);
  }

  async findLive(id: string): Promise<SoftwareStatementEntity | null> {
    return isUuid(id) ? this.rows.findOne({ where: { id } }) : null;
  }

  async listLive(): Promise<SoftwareStatementEntity[]> {
    return this.rows.find({ order: { created: 'ASC' } });
  }

  async saveChanges(row: SoftwareStatementEntity): Promise<SoftwareStatementEntity> {
    return this.rows.save(row);
  }

  async markDeleted(id: string): Promise<void> {
    await this.rows.softDelete({ id });
  }
}
