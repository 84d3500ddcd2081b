import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError, STATUS_BY_KIND, ValidationError } from '@obc/common';
import { RedirectDelegateRequestDto } from './redirect-delegate.dto';
import type { RedirectParameters } from './redirect-delegate.service';
import { resultPage, type HtmlPage } from './redirect-pages';

const NAMES = [
  'state',
  'code',
  'id_token',
  'error',
  'error_description',
  'iss',
  'response_mode',
] as const;

/**
 * The bank's query parameters, checked like the delegate's body. Parameters the bank adds
 * beyond these (`session_state`…) are ignored: the PSU cannot retype a bank redirect.
 */
export function redirectParametersFromQuery(query: Record<string, unknown>): RedirectParameters {
  const picked: Record<string, string> = {};
  for (const name of NAMES) {
    const value = query[name];
    if (value !== undefined) picked[name] = typeof value === 'string' ? value : '';
  }
  const dto = plainToInstance(RedirectDelegateRequestDto, picked);
  const errors = validateSync(dto, { validationError: { target: false, value: false } });
  if (errors.length > 0) {
    const fieldErrors = errors.flatMap((e) =>
      Object.values(e.constraints ?? {}).map((message) => ({ field: e.property, message })),
    );
    throw new ValidationError(
      fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; '),
      fieldErrors,
    );
  }
  return {
    state: dto.state,
    code: dto.code,
    id_token: dto.id_token,
    error: dto.error,
    error_description: dto.error_description,
    iss: dto.iss,
    response_mode: dto.response_mode ?? 'query',
  };
}

/** The query-mode landing outcome as a page, with the problem's status on failure. */
export async function landingOutcome(
  run: () => Promise<{ consentType: string; consentId: string }>,
): Promise<HtmlPage & { status: number }> {
  try {
    const done = await run();
    return { status: 200, ...resultPage({ ok: true, ...done }) };
  } catch (e: unknown) {
    if (e instanceof DomainError) {
      return {
        status: STATUS_BY_KIND[e.kind],
        ...resultPage({ ok: false, code: e.code, detail: e.detail }),
      };
    }
    throw e;
  }
}
