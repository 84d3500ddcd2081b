import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { findActiveById } from '../uuid-repository';
import { DomesticPaymentConsentEntity } from './domestic-payment-consent.entity';

@Injectable()
export class DomesticPaymentConsentRepository {
  constructor(
    @InjectRepository(DomesticPaymentConsentEntity)
    private readonly rows: Repository<DomesticPaymentConsentEntity>,
  ) {}

  async save(row: DomesticPaymentConsentEntity): Promise<DomesticPaymentConsentEntity> {
    return this.rows.save(row);
  }

  async findActive(id: string): Promise<DomesticPaymentConsentEntity | null> {
    return findActiveById(this.rows, id);
  }
}
