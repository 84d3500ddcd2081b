import { Body, Controller, Get, Header, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@obc/http-api';
import { RedirectDelegateRequestDto, RedirectDelegateResponseDto } from './redirect-delegate.dto';
import { RedirectDelegateService } from './redirect-delegate.service';
import { landingOutcome, redirectParametersFromQuery } from './redirect-landing';
import { fragmentLandingPage, type HtmlPage } from './redirect-pages';

const PUBLIC_NOTE =
  "No API key: the PSU's browser or the caller's front end calls it straight from the bank redirect. The credential is the `state`: random (256 bits), bound to one auth context, single use and short lived.";

function send(res: Response, page: HtmlPage, status = 200): string {
  res.status(status).type('html').set(page.headers);
  return page.html;
}

@ApiTags('Authorisation redirects')
@Public()
@Controller({ path: 'auth', version: '1' })
export class RedirectController {
  constructor(private readonly delegate: RedirectDelegateService) {}

  @Post('redirect-delegate')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: "Complete a consent's authorisation from the bank's redirect parameters",
    description: `Send the parameters of the bank's redirect (fragment or query) as JSON or as a form. The connector redeems the state, validates the ID token, exchanges the code and stores the tokens; then the consent is authorised. ${PUBLIC_NOTE}`,
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: RedirectDelegateRequestDto })
  @ApiOkResponse({ type: RedirectDelegateResponseDto })
  complete(@Body() body: RedirectDelegateRequestDto): Promise<RedirectDelegateResponseDto> {
    return this.delegate.complete({
      state: body.state,
      code: body.code,
      id_token: body.id_token,
      error: body.error,
      error_description: body.error_description,
      iss: body.iss,
      response_mode: body.response_mode,
    });
  }

  @Get('redirect')
  @ApiOperation({
    summary: 'Landing page for query-mode bank redirects',
    description: `Register this URL as a redirect URI for banks that return the parameters in the query. It completes the authorisation like the delegate and shows a small result page; on failure the page names the problem code and the status is the problem's. ${PUBLIC_NOTE}`,
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The result page.', schema: { type: 'string' } })
  async redirect(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const outcome = await landingOutcome(() =>
      this.delegate.complete(redirectParametersFromQuery(query)),
    );
    return send(res, outcome, outcome.status);
  }

  @Get('fragment-redirect')
  @ApiOperation({
    summary: 'Landing page for fragment-mode (hybrid flow) bank redirects',
    description: `Register this URL as a redirect URI for banks that return the parameters in the fragment (the default hybrid flow). The page's script reads the fragment, which the browser never sends to a server, posts it to the redirect delegate and shows the result. ${PUBLIC_NOTE}`,
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The landing page.', schema: { type: 'string' } })
  fragmentRedirect(@Res({ passthrough: true }) res: Response): string {
    return send(res, fragmentLandingPage());
  }
}
