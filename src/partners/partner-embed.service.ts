import { AppError } from '../errors';
import type { Principal } from '../http/principal';
import { partnerEmbedRepository, type PartnerEmbed } from './partner-embed.repository';
import type { PartnerEmbedInput } from './partner-embed.schemas';

export type PartnerEmbedService = ReturnType<typeof createPartnerEmbedService>;

const unknownPartner = () => new AppError('not_found', 'Partner not found', {}, { key: 'problem.detail.notFound', values: { what: 'partner' } });

/**
 * Where partners' sites may embed the request form (issue 11 item 6). A partner key manages its own owner's list;
 * an admin key any partner's (`partnerExists` tells a partner's ownerId from anything else: 404 otherwise).
 */
export function createPartnerEmbedService(deps: { partnerExists: (ownerId: string) => Promise<boolean> }) {
  async function checkAccess(principal: Principal, ownerId: string): Promise<void> {
    if (principal.role === 'partner') {
      if (principal.ownerId !== ownerId) throw new AppError('forbidden', "A partner key manages only its own owner's embedding");
      return;
    }
    if (!(await deps.partnerExists(ownerId))) throw unknownPartner();
  }

  return {
    /** The owner's origins; an empty list (and no `updatedAt`) when none were ever registered. */
    async get(principal: Principal, ownerId: string): Promise<{ ownerId: string; origins: string[]; updatedAt?: Date }> {
      await checkAccess(principal, ownerId);
      return (await partnerEmbedRepository.findByOwner(ownerId)) ?? { ownerId, origins: [] };
    },

    /** Replaces the owner's origins with `input.origins` (already validated: partnerEmbedInputSchema). */
    async replace(principal: Principal, ownerId: string, input: PartnerEmbedInput, now = new Date()): Promise<PartnerEmbed> {
      await checkAccess(principal, ownerId);
      return partnerEmbedRepository.replace(ownerId, input.origins, now);
    },

    /** The origins allowed to frame the form of `ownerId` (for the page, which has no principal); [] when none. */
    async originsOf(ownerId: string): Promise<string[]> {
      return (await partnerEmbedRepository.findByOwner(ownerId))?.origins ?? [];
    },
  };
}
