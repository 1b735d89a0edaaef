import type { RequestHandler } from 'express';
import { AppError } from '../errors';
import type { Principal, Role } from './principal';

export type Authenticate = (key: string) => Promise<Principal | undefined>;

/** The key from `Bearer <key>`, or from `Basic` credentials whose password is the key (for browsers). */
function presentedKey(header: string): string | undefined {
  const bearer = /^Bearer\s+(\S{1,200})$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]{1,400})$/i.exec(header);
  if (!basic?.[1]) return undefined;
  const credentials = Buffer.from(basic[1], 'base64').toString('utf8');
  return credentials.slice(credentials.indexOf(':') + 1) || undefined;
}

/** Reads `Authorization: Bearer <key>`; routes then decide with `allow`. */
export function authenticate(resolve: Authenticate): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('Authorization');
    if (!res.hasHeader('WWW-Authenticate')) res.setHeader('WWW-Authenticate', 'Bearer realm="consult"');
    if (!header) throw new AppError('unauthenticated', 'Send an API key as Authorization: Bearer <key>', {}, { key: 'problem.detail.noKey' });
    const key = presentedKey(header);
    const principal = key ? await resolve(key) : undefined;
    if (!principal) throw new AppError('unauthenticated', 'The API key is invalid or has been revoked', {}, { key: 'problem.detail.badKey' });
    res.removeHeader('WWW-Authenticate');
    req.principal = principal;
    req.log = req.log.child({ keyId: principal.keyId, role: principal.role });
    next();
  };
}

/** For pages a browser opens (the queue board): asks for Basic credentials, the admin key as the password. */
export function browserChallenge(realm: string): RequestHandler {
  return (req, res, next) => {
    if (!req.get('Authorization')) res.setHeader('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
    next();
  };
}

/** 403 unless the caller has one of the roles. */
export function allow(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal || !roles.includes(req.principal.role)) {
      throw new AppError('forbidden', `This operation needs one of the roles: ${roles.join(', ')}`, {}, { key: 'problem.detail.roles', values: { roles: roles.join(', ') } });
    }
    next();
  };
}
