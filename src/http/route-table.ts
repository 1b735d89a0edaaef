import type { RequestHandler, Router } from 'express';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A route written with its OpenAPI path template, so the spec and the mounted routes can be compared. */
export interface RouteDefinition {
  method: HttpMethod;
  path: string;
  handlers: RequestHandler[];
}

export const toExpressPath = (template: string): string => template.replace(/\{(\w+)\}/g, ':$1');

export function mountRoutes(router: Router, routes: RouteDefinition[]): void {
  for (const route of routes) router[route.method](toExpressPath(route.path), ...route.handlers);
}
