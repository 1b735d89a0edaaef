import type { RequestHandler } from 'express';
import { AppError } from '../errors';
import type { Principal, Role } from './principal';

export type Authenticate = (key: string) => Promise<Principal | undefined>;

/** Reads `Authorization: Bearer <key>`; routes then decide with `allow`. */
export function authenticate(resolve: Authenticate): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('Authorization');
    if (!header) throw new AppError('unauthenticated', 'Send an API key as Authorization: Bearer <key>');
    const match = /^Bearer\s+(\S{1,200})$/i.exec(header);
    const principal = match?.[1] ? await resolve(match[1]) : undefined;
    if (!principal) throw new AppError('unauthenticated', 'The API key is invalid or has been revoked');
    req.principal = principal;
    req.log = req.log.child({ keyId: principal.keyId, role: principal.role });
    next();
  };
}

/** 403 unless the caller has one of the roles. */
export function allow(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal || !roles.includes(req.principal.role)) {
      throw new AppError('forbidden', `This operation needs one of the roles: ${roles.join(', ')}`);
    }
    next();
  };
}
