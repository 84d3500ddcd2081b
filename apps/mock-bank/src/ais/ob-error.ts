import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

/**
 * v4.0 `OBError1.ErrorCode` is a 4-character code (the v3 `UK.OBIE.*` names no longer fit the
 * schema). U002/U003 are field invalid/missing; the others here are the closest v4.0 codes for
 * resource-level refusals. Kept in one place so a correction is one edit.
 */
export const OB_ERROR_CODE = {
  fieldInvalid: 'U002',
  fieldMissing: 'U003',
  resourceNotFound: 'U010',
  consentMismatch: 'U011',
  consentInvalidStatus: 'U012',
  permissionMissing: 'U013',
} as const;

export interface ObErrorDetail {
  ErrorCode: string;
  Message: string;
  Path?: string;
}

const CODES: Record<number, string> = {
  400: '400 BadRequest',
  401: '401 Unauthorized',
  403: '403 Forbidden',
  404: '404 NotFound',
};

export function sendObError(res: Response, status: number, errors: ObErrorDetail[]): void {
  res.status(status).json({
    Code: CODES[status] ?? String(status),
    Id: randomUUID(),
    Message: errors[0]?.Message.slice(0, 500) ?? 'error',
    Errors: errors.map((e) => ({ ...e, Message: e.Message.slice(0, 500) })),
  });
}
