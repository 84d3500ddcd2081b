import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { FAPI_INTERACTION_ID_HEADER } from '@obc/common';
import { AispRead } from './aisp-read.decorator';
import {
  ACCOUNT_ACCESS_CONSENT_HEADER,
  AispReadRequest,
  AispReadService,
} from './aisp-read.service';

type QueryParams = Record<string, unknown>;

/**
 * Every AISP read: one line per route into AispReadService (the endpoint table is in
 * aisp-endpoints.ts). The query string is passed through to the bank once validated.
 */
@ApiTags('AISP: accounts and transactions')
@ApiBearerAuth()
@Controller({ path: 'aisp', version: '1' })
export class AispReadsController {
  constructor(private readonly reads: AispReadService) {}

  @Get('accounts')
  @AispRead('Accounts the consent covers.', 'OBReadAccount6')
  accounts(
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'accounts', params: {}, query, consentId });
  }

  @Get('accounts/:accountId')
  @AispRead('One account.', 'OBReadAccount6')
  account(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'account', params: { accountId }, query, consentId });
  }

  @Get('balances')
  @AispRead('Balances of every account.', 'OBReadBalance1')
  balances(
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'balances', params: {}, query, consentId });
  }

  @Get('accounts/:accountId/balances')
  @AispRead('Balances of one account.', 'OBReadBalance1')
  accountBalances(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'accountBalances', params: { accountId }, query, consentId });
  }

  @Get('transactions')
  @AispRead('Transactions of every account.', 'OBReadTransaction6', true)
  transactions(
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'transactions', params: {}, query, consentId });
  }

  @Get('accounts/:accountId/transactions')
  @AispRead('Transactions of one account.', 'OBReadTransaction6', true)
  accountTransactions(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, {
      endpoint: 'accountTransactions',
      params: { accountId },
      query,
      consentId,
    });
  }

  @Get('beneficiaries')
  @AispRead('Beneficiaries of every account.', 'OBReadBeneficiary5')
  beneficiaries(
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'beneficiaries', params: {}, query, consentId });
  }

  @Get('accounts/:accountId/beneficiaries')
  @AispRead('Beneficiaries of one account.', 'OBReadBeneficiary5')
  accountBeneficiaries(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, {
      endpoint: 'accountBeneficiaries',
      params: { accountId },
      query,
      consentId,
    });
  }

  @Get('direct-debits')
  @AispRead('Direct debits of every account.', 'OBReadDirectDebit2')
  directDebits(
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'directDebits', params: {}, query, consentId });
  }

  @Get('accounts/:accountId/direct-debits')
  @AispRead('Direct debits of one account.', 'OBReadDirectDebit2')
  accountDirectDebits(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, {
      endpoint: 'accountDirectDebits',
      params: { accountId },
      query,
      consentId,
    });
  }

  @Get('standing-orders')
  @AispRead('Standing orders of every account.', 'OBReadStandingOrder6')
  standingOrders(
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'standingOrders', params: {}, query, consentId });
  }

  @Get('accounts/:accountId/standing-orders')
  @AispRead('Standing orders of one account.', 'OBReadStandingOrder6')
  accountStandingOrders(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, {
      endpoint: 'accountStandingOrders',
      params: { accountId },
      query,
      consentId,
    });
  }

  @Get('scheduled-payments')
  @AispRead('Scheduled payments of every account.', 'OBReadScheduledPayment3')
  scheduledPayments(
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'scheduledPayments', params: {}, query, consentId });
  }

  @Get('accounts/:accountId/scheduled-payments')
  @AispRead('Scheduled payments of one account.', 'OBReadScheduledPayment3')
  accountScheduledPayments(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, {
      endpoint: 'accountScheduledPayments',
      params: { accountId },
      query,
      consentId,
    });
  }

  @Get('statements')
  @AispRead('Statements of every account.', 'OBReadStatement2')
  statements(
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'statements', params: {}, query, consentId });
  }

  @Get('accounts/:accountId/statements')
  @AispRead('Statements of one account.', 'OBReadStatement2')
  accountStatements(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, {
      endpoint: 'accountStatements',
      params: { accountId },
      query,
      consentId,
    });
  }

  @Get('accounts/:accountId/statements/:statementId')
  @AispRead('One statement.', 'OBReadStatement2')
  accountStatement(
    @Param('accountId') accountId: string,
    @Param('statementId') statementId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, {
      endpoint: 'accountStatement',
      params: { accountId, statementId },
      query,
      consentId,
    });
  }

  @Get('accounts/:accountId/statements/:statementId/transactions')
  @AispRead('Transactions of one statement.', 'OBReadTransaction6')
  accountStatementTransactions(
    @Param('accountId') accountId: string,
    @Param('statementId') statementId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, {
      endpoint: 'accountStatementTransactions',
      params: { accountId, statementId },
      query,
      consentId,
    });
  }

  @Get('products')
  @AispRead('Products of every account.', 'OBReadProduct2')
  products(
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'products', params: {}, query, consentId });
  }

  @Get('accounts/:accountId/products')
  @AispRead("Product of one account (the bank's /accounts/{AccountId}/product).", 'OBReadProduct2')
  accountProduct(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'accountProduct', params: { accountId }, query, consentId });
  }

  @Get('accounts/:accountId/product')
  @AispRead(
    "Product of one account (v4.0 path name, where the bank's Links point).",
    'OBReadProduct2',
  )
  accountProductByV4Path(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'accountProduct', params: { accountId }, query, consentId });
  }

  @Get('offers')
  @AispRead('Offers of every account.', 'OBReadOffer1')
  offers(
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'offers', params: {}, query, consentId });
  }

  @Get('accounts/:accountId/offers')
  @AispRead('Offers of one account.', 'OBReadOffer1')
  accountOffers(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'accountOffers', params: { accountId }, query, consentId });
  }

  @Get('party')
  @AispRead('The party who authorised the consent.', 'OBReadParty2')
  party(
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'party', params: {}, query, consentId });
  }

  @Get('accounts/:accountId/party')
  @AispRead('The account owner party.', 'OBReadParty2')
  accountParty(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'accountParty', params: { accountId }, query, consentId });
  }

  @Get('accounts/:accountId/parties')
  @AispRead('Every party of one account.', 'OBReadParty3')
  accountParties(
    @Param('accountId') accountId: string,
    @Query() query: QueryParams,
    @Headers(ACCOUNT_ACCESS_CONSENT_HEADER) consentId: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.read(res, { endpoint: 'accountParties', params: { accountId }, query, consentId });
  }

  private async read(res: Response, request: AispReadRequest): Promise<unknown> {
    const result = await this.reads.read(request);
    res.setHeader(FAPI_INTERACTION_ID_HEADER, result.interactionId);
    return result.body;
  }
}
