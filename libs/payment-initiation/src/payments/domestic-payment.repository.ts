import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { findActiveById } from '../uuid-repository';
import { DomesticPaymentEntity } from './domestic-payment.entity';

@Injectable()
export class DomesticPaymentRepository {
  constructor(
    @InjectRepository(DomesticPaymentEntity)
    private readonly rows: Repository<DomesticPaymentEntity>,
  ) {}

  async save(row: DomesticPaymentEntity): Promise<DomesticPaymentEntity> {
    return this.rows.save(row);
  }

  async findActive(id: string): Promise<DomesticPaymentEntity | null> {
    return findActiveById(this.rows, id);
  }
}
