import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { ACCOUNT_ACCESS_CONSENT_HEADER } from './aisp-read.service';

/** The OpenAPI of one AISP read: the consent header and the bank's OB body as an open object. */
export function AispRead(summary: string, obSchema: string, pagedQuery = false): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiHeader({
      name: ACCOUNT_ACCESS_CONSENT_HEADER,
      required: true,
      description: 'Id of the authorised account-access consent to read under.',
    }),
    ...(pagedQuery
      ? [
          ApiQuery({
            name: 'fromBookingDateTime',
            required: false,
            description: 'Passed to the bank as given (ISO 8601 date-time).',
          }),
          ApiQuery({
            name: 'toBookingDateTime',
            required: false,
            description: 'Passed to the bank as given (ISO 8601 date-time).',
          }),
        ]
      : []),
    ApiOkResponse({
      description: `The bank's ${obSchema} (OB Account and Transaction v4.0), Links rewritten to the connector. Other simple query parameters (page, ...) are passed to the bank.`,
      schema: {
        type: 'object',
        additionalProperties: true,
        description: `${obSchema} (OB Account and Transaction v4.0).`,
      },
    }),
  );
}
