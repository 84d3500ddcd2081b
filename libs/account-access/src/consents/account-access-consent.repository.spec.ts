import { Clock, CONSENT_STATUS } from '@obc/common';
import type { Repository } from 'typeorm';
import { AccountAccessConsentEntity } from './account-access-consent.entity';
import {
  AccountAccessConsentRepository,
  AUTHORISED_CONSENT_TTL_MS,
} from './account-access-consent.repository';

class ManualClock extends Clock {
  ms = Date.UTC(2026, 0, 1);
  override now(): Date {
    return new Date(this.ms);
  }
}

const ID = '3f0b0d3e-8d47-4a4f-9f43-2c1b8f0e6a11';

function setup(status: string = CONSENT_STATUS.authorised) {
  const clock = new ManualClock();
  let stored: AccountAccessConsentEntity | null = Object.assign(new AccountAccessConsentEntity(), {
    id: ID,
    status,
    bankRegistrationId: 'reg-1',
  });
  const rows = {
    findOne: jest.fn(async () => (stored ? { ...stored } : null)),
    save: jest.fn(
      async (row: AccountAccessConsentEntity) =>
        (stored = Object.assign(new AccountAccessConsentEntity(), row)),
    ),
    softDelete: jest.fn(async () => void (stored = null)),
  };
  const repo = new AccountAccessConsentRepository(
    rows as unknown as Repository<AccountAccessConsentEntity>,
    clock,
  );
  return { repo, rows, clock };
}

describe('AccountAccessConsentRepository.findForRead', () => {
  it('serves an authorised consent from memory until the TTL passes', async () => {
    const { repo, rows, clock } = setup();
    expect(await repo.findForRead(ID)).toMatchObject({ id: ID, status: CONSENT_STATUS.authorised });
    await repo.findForRead(ID);
    clock.ms += AUTHORISED_CONSENT_TTL_MS - 1;
    await repo.findForRead(ID);
    expect(rows.findOne).toHaveBeenCalledTimes(1);
    clock.ms += 1;
    await repo.findForRead(ID);
    expect(rows.findOne).toHaveBeenCalledTimes(2);
  });

  it('reads a consent that is not authorised from the database every time', async () => {
    const { repo, rows } = setup(CONSENT_STATUS.awaitingAuthorisation);
    await repo.findForRead(ID);
    await repo.findForRead(ID);
    expect(rows.findOne).toHaveBeenCalledTimes(2);
    expect(await repo.findForRead('not-a-uuid')).toBeNull();
  });

  it('forgets a consent when it is changed or deleted here', async () => {
    const { repo, rows } = setup();
    const row = (await repo.findForRead(ID)) as AccountAccessConsentEntity;
    await repo.saveChanges({
      ...row,
      status: CONSENT_STATUS.expired,
    } as AccountAccessConsentEntity);
    expect(await repo.findForRead(ID)).toMatchObject({ status: CONSENT_STATUS.expired });
    expect(rows.findOne).toHaveBeenCalledTimes(2);
    await repo.saveChanges({ ...row } as AccountAccessConsentEntity);
    await repo.findForRead(ID);
    await repo.markDeleted(ID);
    expect(await repo.findForRead(ID)).toBeNull();
  });

  it('does not cache what a lookup read before a change made meanwhile', async () => {
    const { repo, rows } = setup();
    let release!: () => void;
    rows.findOne.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          release = () =>
            resolve(
              Object.assign(new AccountAccessConsentEntity(), {
                id: ID,
                status: CONSENT_STATUS.authorised,
              }),
            );
        }),
    );
    const stale = repo.findForRead(ID);
    await repo.markDeleted(ID);
    release();
    await stale;
    expect(await repo.findForRead(ID)).toBeNull();
  });
});
