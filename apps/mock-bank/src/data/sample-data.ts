/**
 * The one PSU of the mock bank and their accounts, as OB v4.0 AIS resources. Amounts and
 * merchants come from a seeded generator so every run (and every replica) sees the same data;
 * dates are relative to `now` (start of the UTC day) so "the last 90 days" always has data.
 */
export const samplePsu = { psuId: 'psu-alex-morgan', name: 'Alex Morgan' };

type Json = Record<string, unknown>;

export interface SampleAccount {
  accountId: string;
  account: Json;
  balances: Json[];
  /** Newest first. */
  transactions: Json[];
  beneficiaries: Json[];
  directDebits: Json[];
  standingOrders: Json[];
  scheduledPayments: Json[];
  statements: Json[];
  product: Json;
  offers: Json[];
  parties: Json[];
}

const SCHEME = 'UK.OBIE.SortCodeAccountNumber';
const DAY = 86_400_000;

const party: Json = {
  PartyId: 'PARTY-ALEX-001',
  PartyNumber: '0000071830',
  PartyType: 'Sole',
  Name: samplePsu.name,
  FullLegalName: 'Alexandra Jane Morgan',
  EmailAddress: 'alex.morgan@example.com',
  Mobile: '+44-7700900123',
  Address: [
    {
      AddressType: 'HOME',
      StreetName: 'Acacia Avenue',
      BuildingNumber: '22',
      PostCode: 'M1 4BT',
      TownName: 'Manchester',
      Country: 'GB',
    },
  ],
};

/** The PSU as a party (GET /party). */
export const sampleParty: Json = party;

export function sampleAccounts(now: Date = new Date()): SampleAccount[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const iso = (ms: number) => new Date(ms).toISOString();
  const gbp = (n: number) => ({ Amount: n.toFixed(2), Currency: 'GBP' });
  const definitions = [
    {
      id: 'acc-current-001',
      name: 'Alex Morgan',
      nickname: 'Everyday',
      sortCode: '401276',
      number: '31926819',
      type: 'CACC',
      description: 'Classic Current Account',
      product: { ProductName: 'Classic Current Account', ProductId: 'PCA-CLASSIC', ProductType: 'PersonalCurrentAccount' },
      opening: 2_540.31,
      transactions: 140,
    },
    {
      id: 'acc-savings-002',
      name: 'Alex Morgan',
      nickname: 'Rainy day',
      sortCode: '401276',
      number: '58204417',
      type: 'SVGS',
      description: 'Instant Access Saver',
      product: { ProductName: 'Instant Access Saver', ProductId: 'SAV-INSTANT', ProductType: 'Other',
        OtherProductType: { Name: 'Savings', Description: 'Instant access savings account' }, },
      opening: 8_120.0,
      transactions: 12,
    },
    {
      id: 'acc-card-003',
      name: 'Alex Morgan',
      nickname: 'Credit card',
      sortCode: '401276',
      number: '77310945',
      type: 'CARD',
      description: 'Rewards Credit Card',
      product: { ProductName: 'Rewards Credit Card', ProductId: 'CC-REWARDS', ProductType: 'CommercialCreditCard' },
      opening: 0,
      transactions: 30,
    },
  ];

  return definitions.map((d, index) => {
    const random = mulberry32(0x5eed + index);
    const identification = `${d.sortCode}${d.number}`;
    const transactions = generateTransactions(d.id, d.transactions, today, random);
    const balance = d.opening + transactions.reduce((sum, t) => sum + signed(t), 0);
    const credit = balance >= 0;
    const account: Json = {
      AccountId: d.id,
      Status: 'Enabled',
      StatusUpdateDateTime: iso(today - 400 * DAY),
      Currency: 'GBP',
      AccountCategory: 'Personal',
      AccountTypeCode: d.type,
      Description: d.description,
      Nickname: d.nickname,
      OpeningDate: iso(today - 900 * DAY),
      Account: [{ SchemeName: SCHEME, Identification: identification, Name: d.name }],
    };
    const creditor = (n: number) => ({
      SchemeName: SCHEME,
      Identification: `2000${String(n).padStart(2, '0')}${String(40_000_000 + n * 7919).slice(0, 8)}`,
      Name: ['Sam Patel', 'Northern Lettings Ltd', 'Jordan Lee'][n % 3],
    });
    return {
      accountId: d.id,
      account,
      balances: [
        {
          AccountId: d.id,
          CreditDebitIndicator: credit ? 'Credit' : 'Debit',
          Type: 'ITAV',
          DateTime: iso(today),
          Amount: gbp(Math.abs(balance)),
          ...(d.type === 'CACC'
            ? { CreditLine: [{ Included: true, Type: 'Pre-Agreed', Amount: gbp(500) }] }
            : {}),
        },
        {
          AccountId: d.id,
          CreditDebitIndicator: credit ? 'Credit' : 'Debit',
          Type: 'CLBD',
          DateTime: iso(today - 1),
          Amount: gbp(Math.abs(balance)),
        },
      ],
      transactions,
      beneficiaries: [
        {
          AccountId: d.id,
          BeneficiaryId: `${d.id}-ben-1`,
          BeneficiaryType: 'Trusted',
          Reference: 'Rent',
          CreditorAccount: creditor(1),
        },
        {
          AccountId: d.id,
          BeneficiaryId: `${d.id}-ben-2`,
          BeneficiaryType: 'Ordinary',
          Reference: 'Dinner',
          CreditorAccount: creditor(2),
        },
      ],
      directDebits: [
        {
          AccountId: d.id,
          DirectDebitId: `${d.id}-dd-1`,
          DirectDebitStatusCode: 'ACTV',
          MandateRelatedInformation: {
            MandateIdentification: 'BRITGAS-338801',
            Frequency: { Type: 'MNTH', CountPerPeriod: 1, PointInTime: '12' },
          },
          Name: 'British Energy Supply',
          PreviousPaymentDateTime: iso(today - 12 * DAY),
          PreviousPaymentAmount: gbp(84.5),
        },
      ],
      standingOrders: [
        {
          AccountId: d.id,
          StandingOrderId: `${d.id}-so-1`,
          NextPaymentDateTime: iso(today + 9 * DAY),
          StandingOrderStatusCode: 'ACTV',
          FirstPaymentAmount: gbp(950),
          NextPaymentAmount: gbp(950),
          CreditorAccount: creditor(1),
          MandateRelatedInformation: { Frequency: { Type: 'MNTH', CountPerPeriod: 1, PointInTime: '01' } },
          RemittanceInformation: { Unstructured: ['Rent'] },
        },
      ],
      scheduledPayments: [
        {
          AccountId: d.id,
          ScheduledPaymentId: `${d.id}-sp-1`,
          ScheduledPaymentDateTime: iso(today + 5 * DAY),
          ScheduledType: 'Execution',
          Reference: 'Birthday',
          InstructedAmount: gbp(40),
          CreditorAccount: creditor(2),
        },
      ],
      statements: [1, 2].map((m) => ({
        AccountId: d.id,
        StatementId: `${d.id}-st-${m}`,
        Type: 'RegularPeriodic',
        StartDateTime: iso(today - (30 * m + 30) * DAY),
        EndDateTime: iso(today - 30 * m * DAY),
        CreationDateTime: iso(today - 30 * m * DAY + DAY),
      })),
      product: { AccountId: d.id, ...d.product },
      offers:
        d.type === 'CACC'
          ? [
              {
                AccountId: d.id,
                OfferId: `${d.id}-offer-1`,
                OfferType: 'LimitIncrease',
                Description: 'Increase your arranged overdraft to £1,000',
                Amount: gbp(1000),
              },
            ]
          : [],
      parties: [{ ...party, AccountRole: 'UK.OBIE.Principal' }],
    };
  });
}

const MERCHANTS: [string, string, number, number][] = [
  ['Tesco Stores', '5411', 8, 95],
  ['Transport for London', '4111', 2.8, 12],
  ['Pret A Manger', '5814', 3.5, 14],
  ['Amazon UK', '5942', 6, 120],
  ['Shell Petrol', '5541', 30, 80],
  ['Netflix', '4899', 10.99, 10.99],
];

function generateTransactions(
  accountId: string,
  count: number,
  today: number,
  random: () => number,
): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < count; i++) {
    // Evenly spread over the last 90 days with some jitter inside the day; newest first.
    const booked = today - Math.floor((i * 90 * DAY) / count) - Math.floor(random() * 20) * 3_600_000 - 60_000;
    const isCredit = i % 14 === 7;
    const [merchant, mcc, min, max] = MERCHANTS[Math.floor(random() * MERCHANTS.length)];
    const amount = isCredit ? 2_150 + Math.floor(random() * 100) : min + random() * (max - min);
    out.push({
      AccountId: accountId,
      TransactionId: `${accountId}-tx-${String(count - i).padStart(4, '0')}`,
      TransactionReference: isCredit ? 'SALARY' : merchant.toUpperCase().slice(0, 18),
      CreditDebitIndicator: isCredit ? 'Credit' : 'Debit',
      Status: 'BOOK',
      BookingDateTime: new Date(booked).toISOString(),
      ValueDateTime: new Date(booked).toISOString(),
      TransactionInformation: isCredit ? 'Salary ACME Widgets Ltd' : `Card payment ${merchant}`,
      Amount: { Amount: amount.toFixed(2), Currency: 'GBP' },
      BankTransactionCode: isCredit
        ? { Code: 'ReceivedCreditTransfer', SubCode: 'DomesticCreditTransfer' }
        : { Code: 'IssuedDirectDebits', SubCode: 'DirectDebitPayment' },
      ...(isCredit
        ? { DebtorAccount: { SchemeName: SCHEME, Identification: '20001553827790', Name: 'ACME Widgets Ltd' } }
        : { MerchantDetails: { MerchantName: merchant, MerchantCategoryCode: mcc } }),
    });
  }
  return out;
}

function signed(t: Json): number {
  const amount = Number((t.Amount as { Amount: string }).Amount);
  return t.CreditDebitIndicator === 'Credit' ? amount : -amount;
}

/** Small seeded PRNG: deterministic sample data without a dependency. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
