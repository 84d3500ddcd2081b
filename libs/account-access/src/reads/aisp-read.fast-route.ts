import { Injectable } from '@nestjs/common';
import { FAPI_INTERACTION_ID_HEADER } from '@obc/common';
import type { FastRequest, FastRoute, FastRouteMatch } from '@obc/http-api';
import { AISP_READ_ENDPOINTS, AispPathParams, AispReadEndpoint } from './aisp-endpoints';
import { ACCOUNT_ACCESS_CONSENT_HEADER, AispReadService } from './aisp-read.service';

/** The connector's AISP reads live at `/v1/aisp` + the bank path (aisp-endpoints.ts). */
export const AISP_READ_PREFIX = '/v1/aisp';

interface ReadRoute {
  endpoint: AispReadEndpoint;
  /** Path segments under the prefix: a literal, or `{name}` for a parameter. */
  segments: string[];
  /** The template as Express writes the controller's route (`/v1/aisp/accounts/:accountId`). */
  template: string;
}

const ROUTES: ReadRoute[] = (Object.keys(AISP_READ_ENDPOINTS) as AispReadEndpoint[]).map(
  (endpoint) => {
    const segments = AISP_READ_ENDPOINTS[endpoint].split('/').slice(1);
    const template = segments.map((s) => (isParameter(s) ? `:${s.slice(1, -1)}` : s)).join('/');
    return { endpoint, segments, template: `${AISP_READ_PREFIX}/${template}` };
  },
);

function isParameter(segment: string): boolean {
  return segment.startsWith('{');
}

export interface AispReadMatch {
  endpoint: AispReadEndpoint;
  params: AispPathParams;
  template: string;
}

/**
 * The AISP read a request path names, its parameters percent-decoded as Express decodes route
 * parameters. Undefined for any other path, and for one Express would answer differently (a
 * parameter that is not valid percent-encoding is Express's 400).
 */
export function matchAispRead(path: string): AispReadMatch | undefined {
  if (!path.startsWith(`${AISP_READ_PREFIX}/`)) return undefined;
  const parts = path.slice(AISP_READ_PREFIX.length + 1).split('/');
  for (const route of ROUTES) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < parts.length && matched; i++) {
      const segment = route.segments[i];
      if (!isParameter(segment)) matched = segment === parts[i];
      else if (parts[i] === '') matched = false;
      else {
        try {
          params[segment.slice(1, -1)] = decodeURIComponent(parts[i]);
        } catch {
          return undefined;
        }
      }
    }
    if (matched) return { endpoint: route.endpoint, params, template: route.template };
  }
  return undefined;
}

/**
 * Every AISP read as a fast route (`serveFastRoutes` in @obc/http-api): the same AispReadService
 * call and the same `x-fapi-interaction-id` header as AispReadsController, without Express and
 * Nest's pipeline in between. The controller still serves what this declines.
 */
@Injectable()
export class AispReadFastRoute implements FastRoute {
  constructor(private readonly reads: AispReadService) {}

  match(request: FastRequest): FastRouteMatch | undefined {
    const match = matchAispRead(request.path);
    if (!match) return undefined;
    return {
      template: match.template,
      serve: async () => {
        const result = await this.reads.read({
          endpoint: match.endpoint,
          params: match.params,
          query: request.query,
          consentId: request.headers[ACCOUNT_ACCESS_CONSENT_HEADER] as string | undefined,
        });
        return {
          body: result.body,
          headers: { [FAPI_INTERACTION_ID_HEADER]: result.interactionId },
        };
      },
    };
  }
}
