import { shapeOf } from '../testing/ob-spec';
import {
  V3_ACCOUNT_ACCESS_CONSENT_SHAPE,
  V3_DOMESTIC_CONSENT_SHAPE,
  V3_DOMESTIC_PAYMENT_SHAPE,
  V3_VRP_CONSENT_SHAPE,
  V3_VRP_FUNDS_CONFIRMATION_SHAPE,
  V3_VRP_SHAPE,
} from './payment-shapes';

describe('v3.1.11 request shapes', () => {
  it.each([
    ['account-info', 'OBReadConsent1', V3_ACCOUNT_ACCESS_CONSENT_SHAPE],
    ['payment-initiation', 'OBWriteDomesticConsent4', V3_DOMESTIC_CONSENT_SHAPE],
    ['payment-initiation', 'OBWriteDomestic2', V3_DOMESTIC_PAYMENT_SHAPE],
    ['vrp', 'OBDomesticVRPConsentRequest', V3_VRP_CONSENT_SHAPE],
    ['vrp', 'OBDomesticVRPRequest', V3_VRP_SHAPE],
    ['vrp', 'OBVRPFundsConfirmationRequest', V3_VRP_FUNDS_CONFIRMATION_SHAPE],
  ] as const)('%s %s matches the official document', (api, schema, shape) => {
    expect(shape).toEqual(shapeOf('v3.1.11', api, schema));
  });
});
