import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  Caller,
  CallerIdentity,
  EXCLUDE_EXTERNAL_API_OPERATION_HEADER,
  FAPI_INTERACTION_ID_HEADER,
  IDEMPOTENCY_KEY_HEADER,
} from '@obc/common';
import { DomesticVrpConsentService } from './domestic-vrp-consent.service';
import {
  CreateDomesticVrpConsentDto,
  DomesticVrpConsentResponseDto,
  VrpFundsConfirmationDto,
  VrpFundsConfirmationResponseDto,
} from './dto/domestic-vrp-consent.dto';
import { CreateVrpAuthContextDto, VrpAuthContextResponseDto } from './dto/vrp-auth-context.dto';

export const EXCLUDE_HEADER_DOC = {
  name: EXCLUDE_EXTERNAL_API_OPERATION_HEADER,
  required: false,
  description: "`true`: do not call the bank, act on the connector's record only.",
};

export const IDEMPOTENCY_HEADER_DOC = {
  name: IDEMPOTENCY_KEY_HEADER,
  required: false,
  description:
    'Same key and body: the stored first result, no second bank call. Same key, other body: 422. Generated when absent and returned in the response header.',
};

@ApiTags('VRP: domestic VRP consents')
@ApiBearerAuth()
@Controller({ path: 'vrp/domestic-vrp-consents', version: '1' })
export class DomesticVrpConsentsController {
  constructor(private readonly consents: DomesticVrpConsentService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a domestic VRP consent at the bank (control parameters required).',
  })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ type: DomesticVrpConsentResponseDto })
  async create(
    @Body() body: CreateDomesticVrpConsentDto,
    @Caller() caller: CallerIdentity,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DomesticVrpConsentResponseDto> {
    const outcome = await this.consents.create(
      {
        bankRegistrationId: body.bankRegistrationId,
        externalApiRequest: body.externalApiRequest,
        reference: body.reference ?? null,
        createdBy: body.createdBy ?? caller.apiKeyId,
      },
      { callerId: caller.apiKeyId, idempotencyKey: idempotencyKey || undefined },
    );
    res.setHeader(IDEMPOTENCY_KEY_HEADER, outcome.idempotencyKey);
    return outcome.body;
  }

  @Get(':id')
  @ApiOperation({ summary: 'A domestic VRP consent, refreshed from the bank unless excluded.' })
  @ApiHeader(EXCLUDE_HEADER_DOC)
  @ApiOkResponse({ type: DomesticVrpConsentResponseDto })
  async get(
    @Param('id') id: string,
    @Headers(EXCLUDE_EXTERNAL_API_OPERATION_HEADER) exclude: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DomesticVrpConsentResponseDto> {
    const outcome = await this.consents.get(id, exclude === 'true');
    if (outcome.interactionId) res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return DomesticVrpConsentResponseDto.from(outcome.row);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a VRP consent at the bank (unless excluded) and its tokens.' })
  @ApiHeader(EXCLUDE_HEADER_DOC)
  @ApiNoContentResponse({ description: 'Deleted (soft delete in the connector).' })
  async delete(
    @Param('id') id: string,
    @Headers(EXCLUDE_EXTERNAL_API_OPERATION_HEADER) exclude: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const outcome = await this.consents.remove(id, exclude === 'true');
    if (outcome.interactionId) res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
  }

  @Post(':id/funds-confirmation')
  @ApiOperation({
    summary: 'Ask the bank whether funds are available under an authorised consent.',
  })
  @ApiCreatedResponse({ type: VrpFundsConfirmationResponseDto })
  async confirmFunds(
    @Param('id') id: string,
    @Body() body: VrpFundsConfirmationDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VrpFundsConfirmationResponseDto> {
    const outcome = await this.consents.confirmFunds(id, body.externalApiRequest);
    res.setHeader(FAPI_INTERACTION_ID_HEADER, outcome.interactionId);
    return { externalApiResponse: outcome.body };
  }

  @Post(':id/auth-contexts')
  @ApiOperation({ summary: "Start the customer's authorisation of the VRP consent at the bank." })
  @ApiCreatedResponse({ type: VrpAuthContextResponseDto })
  async createAuthContext(
    @Param('id') id: string,
    @Body() body: CreateVrpAuthContextDto,
    @Caller() caller: CallerIdentity,
  ): Promise<VrpAuthContextResponseDto> {
    const context = await this.consents.createAuthContext(id, {
      redirectUri: body.redirectUri ?? null,
      appSessionId: body.appSessionId ?? null,
      reference: body.reference ?? null,
      createdBy: body.createdBy ?? caller.apiKeyId,
    });
    return VrpAuthContextResponseDto.from(context);
  }
}
