import { createApiKeyService } from './api-keys/api-key.service';
import { createApp } from './app';
import type { Config } from './config';
import { createConsultationService } from './consultations/consultation.service';
import { createWorkloadAudit } from './consultations/workload-audit';
import type { ExclusionSummary, MatchReason, MatchWeights } from './domain/matching';
import { createExpertDirectory } from './experts/expert-directory';
import { expertRepository } from './experts/expert.repository';
import { createExpertService } from './experts/expert.service';
import type { ReadinessChecks } from './http/health.routes';
import { forgetIdempotentResponsesFor } from './idempotency/idempotency.service';
import { createInvalidationBus, type InvalidationBus } from './infra/invalidation-bus';
import { createInvitationIndex } from './invitations/invitation-index';
import { createInvitationStore } from './invitations/invitation.repository';
import { createInvitationService } from './invitations/invitation.service';
import type { Queues } from './jobs/queues';
import { createReconciler } from './jobs/reconciler';
import { createScheduler } from './jobs/scheduler';
import type { Logger } from './logger';
import { createMatchingService } from './matching/matching.service';
import { createOpenRequestAudit } from './requests/open-request-audit';
import { createRequestIndex } from './requests/request-index';
import { createRequestService } from './requests/request.service';
import { createActiveEndpoints } from './webhooks/active-endpoints';
import { createRequestStore, requestRepository, type RequestRecord } from './requests/request.repository';
import { createOutbox } from './webhooks/outbox';
import { createMailOutbox } from './mail/mail-outbox';
import { createMailNotifications } from './mail/mail-notifications';
import { deferLifecycleMail, mailRecordJob } from './mail/deferred-mail';
import { fileTransport, mailDirectory, smtpTransport, type MailTransport } from './mail/mail-transport';
import { createWebhookService } from './webhooks/webhook.service';
import { createLinkIssuer } from './links/action-tokens';
import { actionTokenRepository } from './links/action-token.repository';
import { createActionLinkService } from './links/action-link.service';
import { createRequestStatus } from './pages/request-status';
import { invitationAnswerLink } from './links/handlers/invitation-answer.link';
import { confirmRequestLink } from './links/handlers/confirm-request.link';
import { confirmDraft, createHostedRequests } from './requests/hosted-requests';
import { pickSlotLink } from './links/handlers/pick-slot.link';
import { createSchedulingNotifications } from './mail/scheduling-notifications';
import { createProposalService } from './proposals/proposal.service';
import { createCalendarService } from './calendar/calendar.service';
import { createReminderNotifications } from './mail/reminder-notifications';
import { invitationRepository } from './invitations/invitation.repository';
import { createReminderPreferences } from './reminders/reminder-preferences';
import { ratingLink } from './links/handlers/rating.link';
import { stopRemindersLink } from './links/handlers/stop-reminders.link';
import { signInLink } from './links/handlers/sign-in.link';
import { confirmExpertLink } from './links/handlers/confirm-expert.link';
import { confirmExpertDraft, createHostedExperts } from './experts/hosted-experts';
import { expertSessions } from './sessions/expert-sessions';
import { createSignIn } from './sessions/sign-in';
import { createWorkloads } from './consultations/expert-workload';
import { apiKeyRepository } from './api-keys/api-key.repository';
import { createPartnerEmbedService } from './partners/partner-embed.service';

export interface ServiceDependencies {
  config: Config;
  logger: Logger;
  bus: InvalidationBus;
  queues: Queues;
}

function matchWeights(config: Config): Partial<MatchWeights> {
  const weights = {
    skills: config.MATCH_WEIGHT_SKILLS,
    language: config.MATCH_WEIGHT_LANGUAGE,
    location: config.MATCH_WEIGHT_LOCATION,
    availability: config.MATCH_WEIGHT_AVAILABILITY,
    crossBorderBonus: config.MATCH_CROSS_BORDER_BONUS,
  };
  return Object.fromEntries(Object.entries(weights).filter(([, value]) => value !== undefined));
}

/** Where mail goes: the SMTP server, or outside production without one the embedded mailbox under DATA_DIR/mail. */
export const mailTransportFor = (config: Config): MailTransport =>
  config.SMTP_URL ? smtpTransport(config.SMTP_URL) : fileTransport(mailDirectory(config.DATA_DIR));

/** Wires the feature services together; the API process, the worker and the tests all build them here. */
export function composeServices(deps: ServiceDependencies) {
  const { config, logger } = deps;
  const scheduler = createScheduler(deps.queues, logger);
  const apiKeys = createApiKeyService({ adminApiKey: config.ADMIN_API_KEY, bus: deps.bus, expertExists: expertRepository.exists });
  const mailTransport = config.MAIL === 'on' ? mailTransportFor(config) : undefined;
  const mailOutbox = mailTransport && createMailOutbox({
    settings: { from: config.MAIL_FROM, retryBaseMs: config.MAIL_RETRY_BASE_MS, maxAttempts: config.MAIL_MAX_ATTEMPTS },
    transport: mailTransport,
    enqueue: scheduler.deliverMail,
    logger,
  });
  // Requests and matching need each other's output only through these late-bound functions.
  let reasonsFor: (request: RequestRecord, expertId: string) => MatchReason[] = () => [];
  let whatWouldHelp: (request: RequestRecord) => ExclusionSummary = () => ({ considered: 0, feasible: 0, exclusions: [] });
  const issueLinks = createLinkIssuer(config.PUBLIC_BASE_URL);
  const dropLinks = (tokenIds: readonly string[]) => actionTokenRepository.deleteByIds(tokenIds);
  const notificationDeps = {
    logger,
    settings: { ttlSeconds: config.INVITATION_TTL_SECONDS, maxInvitations: config.MAX_INVITATIONS },
    // From the in-memory directory (kept current across instances, as matching's is): a mail costs no database read
    // for the expert; the database answers only for an expert the directory lacks.
    findExpert: async (id: string) => directory.get(id) ?? expertRepository.findById(id),
    reasonsFor: (request: RequestRecord, expertId: string) => reasonsFor(request, expertId),
    whatWouldHelp: (request: RequestRecord) => whatWouldHelp(request),
    issueLinks,
    dropLinks,
  };
  // Records a mail and queues its delivery: the erasure and export paths, and the lifecycle's mails when their job cannot be queued.
  const recordedMail = createMailNotifications({ ...notificationDeps, outbox: mailOutbox });
  // The lifecycle's mails leave the request path: a job records each and sends it at once (src/mail/deferred-mail.ts).
  const mail = mailOutbox ? { ...recordedMail, ...deferLifecycleMail({ schedule: scheduler.recordMail, inline: recordedMail }) } : recordedMail;
  const mailInJobs = createMailNotifications({ ...notificationDeps, outbox: mailOutbox && { ...mailOutbox, record: mailOutbox.recordAndSend } });
  const scheduling = createSchedulingNotifications({ outbox: mailOutbox, logger, findExpert: expertRepository.findById, issueLinks, dropLinks, from: config.MAIL_FROM });
  const reminderMail = createReminderNotifications({
    outbox: mailOutbox,
    logger,
    findExpert: expertRepository.findById,
    findInvitation: invitationRepository.findById,
    findRequest: requestRepository.findById,
    issueLinks,
    dropLinks,
  });
  const requestIndex = createRequestIndex({ bus: deps.bus, logger });
  const store = createRequestStore(requestIndex.written);
  const requests = createRequestService({
    store,
    index: requestIndex,
    onSubmitted: (request) => scheduler.matchRequest(request.id),
    openRequestCap: (role) => (role === 'requester' ? config.MAX_OPEN_REQUESTS_PER_OWNER : role === 'partner' ? config.MAX_OPEN_REQUESTS_PER_PARTNER : undefined),
    mail: {
      ...mail,
      // The contact's links go with the contact: nobody is left who may act through them.
      contactErased: async (requestId) => {
        await mail.contactErased(requestId);
        await actionTokenRepository.deleteForParty('contact', requestId);
      },
    },
  });
  const directory = createExpertDirectory({ bus: deps.bus, logger });
  const matching = createMatchingService({ weights: matchWeights(config), directory, requests });
  reasonsFor = (request, expertId) => matching.verdictFor(request, expertId)?.reasons ?? [];
  whatWouldHelp = matching.exclusionsAmongBest;
  const endpoints = createActiveEndpoints({ bus: deps.bus });
  const outbox = createOutbox({ config, logger, enqueueDelivery: scheduler.deliverWebhook, endpoints });
  const lifecycle = { store, matching, scheduler, emit: outbox.emit, expertChanged: directory.listener.expertChanged, workloads: createWorkloads((id) => directory.get(id)) };
  const invitationIndex = createInvitationIndex({ bus: deps.bus, logger });
  const invitationStore = createInvitationStore(invitationIndex.written);
  const invitations = createInvitationService({
    ...lifecycle,
    invitationStore,
    index: invitationIndex,
    mail,
    settings: { autoInvite: config.AUTO_INVITE === 'on', maxInvitations: config.MAX_INVITATIONS, ttlSeconds: config.INVITATION_TTL_SECONDS },
  });
  const consultations = createConsultationService({ ...lifecycle, invitations, mail, scheduling, followUpMail: reminderMail, autoInvite: config.AUTO_INVITE === 'on' });
  const proposals = createProposalService({ store, consultations, emit: outbox.emit, mail: scheduling });
  const calendars = createCalendarService({ findRequest: store.findById, findExpert: expertRepository.findById, from: config.MAIL_FROM });
  const requestStatus = createRequestStatus({ proposals, consultations, calendars });
  const hostedRequests = mailOutbox && createHostedRequests({ outbox: mailOutbox, issueLinks, dropLinks });
  const partnerEmbeds = createPartnerEmbedService({
    // A partner's ownerId is the id of its first key (api-key.service create), which says its role.
    partnerExists: async (ownerId) => {
      const key = await apiKeyRepository.findById(ownerId);
      return key?.role === 'partner' && key.ownerId === ownerId;
    },
  });
  const experts = createExpertService({
    revokeKeysOfExpert: apiKeys.revokeAllForExpert,
    listKeysOfExpert: apiKeys.listForExpert,
    listMailsToExpert: mail.mailsToExpert,
    forgetStoredCopies: forgetIdempotentResponsesFor,
    listeners: [
      directory.listener,
      { expertChanged: () => undefined, expertRemoved: async (id) => void (await invitations.withdrawForErasedExpert(id)) },
      { expertChanged: () => undefined, expertRemoved: mail.expertErased },
      { expertChanged: () => undefined, expertRemoved: async (id) => void (await actionTokenRepository.deleteForParty('expert', id)) },
      { expertChanged: () => undefined, expertRemoved: async (id) => void (await expertSessions.endAllOf(id)) },
    ],
    directory,
  });
  const actionLinks = createActionLinkService({
    accept_invitation: invitationAnswerLink('accept', invitations, (request, expertId) => reasonsFor(request, expertId)),
    decline_invitation: invitationAnswerLink('decline', invitations, (request, expertId) => reasonsFor(request, expertId)),
    confirm_request: confirmRequestLink((draft) => confirmDraft(requests, draft), { requester: config.MAX_OPEN_REQUESTS_PER_OWNER, partner: config.MAX_OPEN_REQUESTS_PER_PARTNER }),
    pick_slot: pickSlotLink(proposals),
    rate: ratingLink(consultations),
    stop_reminders: stopRemindersLink(createReminderPreferences({ store, experts })),
    sign_in: signInLink(),
    confirm_expert: confirmExpertLink((draft) => confirmExpertDraft(experts, draft)),
  });
  const webhooks = createWebhookService({ config, logger, endpoints });
  const reconciler = createReconciler({
    scheduler,
    reenqueueDueDeliveries: outbox.reenqueueDue,
    reenqueueDueMails: async (now) => (mailOutbox ? mailOutbox.reenqueueDue(now) : 0),
    resumeStalledInvitations: invitations.resumeStalled,
    autoInvite: config.AUTO_INVITE === 'on',
    intervalMs: config.RECONCILE_INTERVAL_MS,
    logger,
  });
  const auditWorkloads = createWorkloadAudit({ expertChanged: directory.listener.expertChanged, logger });
  const auditOpenRequests = createOpenRequestAudit({ logger });
  const signIn = mailOutbox && createSignIn({ outbox: mailOutbox, issueLinks, dropLinks, findExpertByEmail: expertRepository.findByEmail });
  const hostedExperts = mailOutbox && signIn && createHostedExperts({ outbox: mailOutbox, issueLinks, dropLinks, signIn, findExpertByEmail: expertRepository.findByEmail });
  const recordLifecycleMail = mailRecordJob({ mail: mailInJobs, findRequest: store.findById, findInvitation: invitationStore.findById });
  return { apiKeys, experts, requests, requestStore: store, hostedRequests, hostedExperts, partnerEmbeds, signIn, directory, requestStatus, matching, outbox, mailOutbox, mailTransport, invitations, actionLinks, consultations, proposals, calendars, reminderMail, webhooks, reconciler, auditWorkloads, auditOpenRequests, recordLifecycleMail };
}

export type Services = ReturnType<typeof composeServices>;

/** The HTTP app with its services and the Redis connections they hold. */
export function buildApplication(deps: { config: Config; logger: Logger; redisUrl: string; readiness: ReadinessChecks; queues: Queues }) {
  const bus = createInvalidationBus({ redisUrl: deps.redisUrl, namespace: `${deps.config.QUEUE_PREFIX}:${deps.config.NODE_ENV}`, logger: deps.logger });
  const services = composeServices({ config: deps.config, logger: deps.logger, bus, queues: deps.queues });
  const app = createApp({ config: deps.config, logger: deps.logger, readiness: deps.readiness, services, queues: deps.queues });
  return {
    app,
    services,
    close: async () => {
      services.mailTransport?.close();
      await bus.close();
    },
  };
}
