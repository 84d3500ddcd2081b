import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_ROUTE = Symbol('obc:public-route');

/** Marks a route as open: no API key needed (health probes, landing pages for bank redirects). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_ROUTE, true);
