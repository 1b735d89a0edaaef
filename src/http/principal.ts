import type { Request } from 'express';
import { AppError } from '../errors';

export const ROLES = ['admin', 'partner', 'expert', 'requester'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: the key's role, the key itself, and the owner its objects belong to. */
export interface Principal {
  role: Role;
  keyId: string;
  ownerId: string;
  expertId?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new AppError('unauthenticated', 'Send an API key as Authorization: Bearer <key>', {}, { key: 'problem.detail.noKey' });
  return req.principal;
}
