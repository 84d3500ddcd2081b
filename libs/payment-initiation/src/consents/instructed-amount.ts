import { assertInstructedAmount } from '@obc/common';

export interface InstructedAmount {
  Amount: string;
  Currency: string;
}

/** Refuses an amount that is not a positive OB decimal string, or an unknown currency. */
export function assertValidInstructedAmount(amount: InstructedAmount, field: string): void {
  assertInstructedAmount(amount, field);
}
