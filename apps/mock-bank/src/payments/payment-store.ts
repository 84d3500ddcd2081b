import { createHash, randomUUID } from 'node:crypto';
import type { SampleAccount } from '../data/sample-data';

export type PaymentKind = 'domestic-payment' | 'domestic-vrp';

export interface StoredPayment {
  kind: PaymentKind;
  paymentId: string;
  consentId: string;
  clientId: string;
  amount: string;
  currency: string;
  debtorAccountId?: string;
  idempotencyKey: string;
  createdAt: string;
  /** The OB response Data as sent. */
  data: Record<string, unknown>;
}

export interface IdempotentResponse {
  bodyHash: string;
  status: number;
  body: unknown;
}

export class FaultValidationError extends Error {}

export const PAYMENT_FAULT_MODES = ['cut-after-commit', 'delay-after-commit'] as const;
export type PaymentFaultMode = (typeof PAYMENT_FAULT_MODES)[number];
/** The longest answer delay a fault may ask for (10 minutes). */
export const MAX_FAULT_DELAY_MS = 600_000;

/**
 * What happens to the answer of the next created payment or VRP, after the bank committed it:
 * 'cut-after-commit' destroys the connection (the response is lost); 'delay-after-commit'
 * answers only after `delayMs` (the caller may time out, or crash, meanwhile).
 */
export interface PaymentFault {
  mode: PaymentFaultMode;
  delayMs?: number;
  once: boolean;
}

/**
 * Payments and VRPs the bank holds, account balances they debit, idempotency records and the
 * payment faults; in memory like every mock-bank store.
 */
export class PaymentStore {
  private readonly payments = new Map<string, StoredPayment>();
  private readonly balances = new Map<string, number>();
  private readonly idempotency = new Map<string, IdempotentResponse>();
  private fault: PaymentFault | undefined;
  private readonly identifications = new Map<string, Record<string, unknown>>();

  constructor(accounts: SampleAccount[]) {
    for (const a of accounts) {
      const identification = (a.account.Account as Record<string, unknown>[] | undefined)?.[0];
      if (identification) this.identifications.set(a.accountId, identification);
      const itav = a.balances.find((b) => b.Type === 'ITAV') ?? a.balances[0];
      if (!itav) continue;
      const amount = Number((itav.Amount as { Amount: string }).Amount);
      this.balances.set(a.accountId, itav.CreditDebitIndicator === 'Debit' ? -amount : amount);
    }
  }

  static newId(prefix: string): string {
    return `${prefix}-${randomUUID()}`;
  }

  static hash(raw: Buffer): string {
    return createHash('sha256').update(raw).digest('hex');
  }

  /** An account's scheme, identification and name: the refund account of a payment from it. */
  refundAccount(accountId: string | undefined): Record<string, unknown> | undefined {
    const found = accountId === undefined ? undefined : this.identifications.get(accountId);
    return found ? { ...found } : undefined;
  }

  balance(accountId: string): number | undefined {
    return this.balances.get(accountId);
  }

  fundsAvailable(accountId: string | undefined, amount: string): boolean {
    const balance = accountId === undefined ? undefined : this.balances.get(accountId);
    return balance !== undefined && balance >= Number(amount);
  }

  /** Commits a payment and debits its account (in pence to keep sums exact). */
  add(payment: StoredPayment): StoredPayment {
    this.payments.set(payment.paymentId, structuredClone(payment));
    const { debtorAccountId } = payment;
    const current = debtorAccountId === undefined ? undefined : this.balances.get(debtorAccountId);
    if (debtorAccountId !== undefined && current !== undefined)
      this.balances.set(
        debtorAccountId,
        Math.round(current * 100 - Math.round(Number(payment.amount) * 100)) / 100,
      );
    return structuredClone(payment);
  }

  get(paymentId: string): StoredPayment | undefined {
    const p = this.payments.get(paymentId);
    return p ? structuredClone(p) : undefined;
  }

  list(): StoredPayment[] {
    return [...this.payments.values()].map((p) => structuredClone(p));
  }

  byConsent(consentId: string): StoredPayment[] {
    return this.list().filter((p) => p.consentId === consentId);
  }

  idempotent(scope: string, key: string): IdempotentResponse | undefined {
    return this.idempotency.get(`${scope}\n${key}`);
  }

  remember(scope: string, key: string, response: IdempotentResponse): void {
    this.idempotency.set(`${scope}\n${key}`, response);
  }

  setFault(input: unknown): PaymentFault {
    const body = (input ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body))
      throw new FaultValidationError('the body must be a JSON object');
    const mode = body.mode;
    if (typeof mode !== 'string' || !(PAYMENT_FAULT_MODES as readonly string[]).includes(mode))
      throw new FaultValidationError(`mode must be one of ${PAYMENT_FAULT_MODES.join(', ')}`);
    if (body.once !== undefined && typeof body.once !== 'boolean')
      throw new FaultValidationError('once must be a boolean');
    const once = body.once !== false;
    if (mode === 'delay-after-commit') {
      const delayMs = body.delayMs;
      if (
        typeof delayMs !== 'number' ||
        !Number.isInteger(delayMs) ||
        delayMs < 1 ||
        delayMs > MAX_FAULT_DELAY_MS
      )
        throw new FaultValidationError(
          `delayMs must be a whole number of milliseconds from 1 to ${MAX_FAULT_DELAY_MS}`,
        );
      this.fault = { mode, delayMs, once };
    } else {
      if (body.delayMs !== undefined)
        throw new FaultValidationError('delayMs is only for mode delay-after-commit');
      this.fault = { mode: 'cut-after-commit', once };
    }
    return { ...this.fault };
  }

  resetFault(): void {
    this.fault = undefined;
  }

  /** The fault the answer to a just-committed payment gets, if any; a once-fault is used up. */
  takeAfterCommitFault(): PaymentFault | undefined {
    const fault = this.fault;
    if (fault?.once) this.fault = undefined;
    return fault ? { ...fault } : undefined;
  }
}
