import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  Contact,
  type ConnectorErrorData,
  ConnectorError,
  type ItemResult,
  isConnectorError,
  type RemoteContact,
  type UpsertContactItem,
  type UpsertedContact,
} from '@ledgerlink/connector-sdk';
import { type LinkCommand, type LinkSnapshot, type LinkTransition, mapContactOut, NO_LINK, transitionLink } from '@ledgerlink/core';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectionUnusableError, ConnectorHostService, type OpenConnection } from '../connector-host/connector-host.service.js';
import { type ContactRow, ContactsRepository } from '../contacts/contacts.repository.js';
import type { Attempt } from '../queue/queue.decorators.js';
import type { UploadContactsPayload } from '../queue/queues.js';
import { normalizeName, samePerson } from './same-person.js';
import { readInput, readResults, type UploadItem } from './uploads.dto.js';
import { type LinkEventInput, type LinkRecord, UploadsRepository } from './uploads.repository.js';
import { type MappingHistory, MappingVersions } from '../mapping/mapping-versions.js';

/** Thrown to let the queue retry the job later (with backoff); finished items are kept. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

const RETRYABLE = new Set<ConnectorErrorData['kind']>(['rate_limited', 'transient', 'uncertain', 'auth_expired', 'stale']);

interface Prepared {
  readonly contact: ContactRow;
  readonly canonical: Contact;
  readonly link: LinkRecord | null;
  readonly item: UpsertContactItem;
}

interface RunContext {
  readonly payload: UploadContactsPayload;
  readonly connectionId: string;
  readonly open: OpenConnection;
  readonly results: Map<string, UploadItem>;
  readonly provider: string;
  readonly actor: Pick<LinkEventInput, 'actorType' | 'actorId'>;
  /** Items that hit a retryable failure in this attempt. */
  readonly retry: Map<string, ConnectorErrorData>;
  /** The connection's field mapping per contact kind (null: the connector has no catalog for it). */
  readonly mappings: Map<string, Promise<MappingHistory | null>>;
}

/**
 * The contact upload job. For each contact: update when already linked; otherwise persist a
 * pending link with an idempotency key before calling the connector, so a retry or crash never
 * creates twice. Each outcome is stored as a link, an audit event and a per-item result.
 */
@Injectable()
export class UploadRunner {
  constructor(
    private readonly uploads: UploadsRepository,
    private readonly contacts: ContactsRepository,
    private readonly host: ConnectorHostService,
    private readonly logger: JsonLogger,
    private readonly mappingVersions: MappingVersions,
  ) {}

  /**
   * The contact as this connection's field mapping sends it: for a contact already linked, the
   * mapping version in force when the contact last changed (a mapping change is not applied
   * retroactively); for a new upload, the one in force now.
   */
  private async mapped(context: RunContext, contact: ContactRow, canonical: Contact, linked: boolean): Promise<{ contact: Contact } | { problem: string }> {
    let history = context.mappings.get(canonical.kind);
    if (!history) {
      history = this.mappingVersions.history(context.payload.workspaceId, context.connectionId, context.open.connector.definition.id, canonical.kind);
      context.mappings.set(canonical.kind, history);
    }
    const mapping = await history;
    if (!mapping) return { contact: canonical };
    const out = mapContactOut(canonical, mapping.at(linked ? contact.updatedAt.toISOString() : new Date().toISOString()), mapping.catalog);
    if (out.problems.length > 0) return { problem: out.problems.map((p) => `${p.message}: ${p.fix}`).join('; ') };
    return { contact: out.contact };
  }

  async run(payload: UploadContactsPayload, attempt: Attempt): Promise<void> {
    const { workspaceId, syncRunId } = payload;
    const run = await this.uploads.findRun(workspaceId, syncRunId);
    if (!run || run.state === 'completed' || run.state === 'failed') return;
    await this.uploads.markRunning(workspaceId, syncRunId);
    const input = readInput(run.input);
    const results = new Map(readResults(run.results).map((r) => [r.contactId, r]));
    const save = (finish?: 'completed' | 'failed') =>
      this.uploads.saveResults(
        workspaceId,
        syncRunId,
        input.flatMap((id) => results.get(id) ?? []),
        finish,
      );

    let open: OpenConnection;
    try {
      open = await this.host.open(workspaceId, run.connectionId);
    } catch (error) {
      if (!(error instanceof ConnectionUnusableError) && !attempt.isLast) throw error;
      for (const id of input) if (!results.has(id)) results.set(id, failure(id, 'connection', (error as Error).message));
      await save('failed');
      return;
    }

    const context: RunContext = {
      payload,
      connectionId: run.connectionId,
      open,
      results,
      provider: open.connector.definition.displayName,
      actor: payload.requestedBy ? { actorType: payload.actorType ?? 'user', actorId: payload.requestedBy } : { actorType: 'system', actorId: null },
      retry: new Map(),
      mappings: new Map(),
    };
    const todo = input.filter((id) => !results.has(id));
    const rows = new Map((await this.contacts.findByIds(workspaceId, todo)).map((c) => [c.id, c]));
    const batchSize = Math.max(1, Math.min(open.connector.definition.limits.batchSize, 25));

    for (let start = 0; start < todo.length; start += batchSize) {
      const chunk = todo.slice(start, start + batchSize);
      try {
        await this.uploadChunk(context, chunk, rows);
      } catch (error) {
        await save();
        if (isConnectorError(error) && error.kind === 'auth_revoked') {
          for (const id of todo) if (!results.has(id)) results.set(id, failure(id, 'auth_revoked', error.message));
          await save('failed');
          return;
        }
        if (!attempt.isLast && (!isConnectorError(error) || RETRYABLE.has(error.kind))) throw error;
        const message = `${context.provider} failed and the upload gave up after ${attempt.max} attempts (${(error as Error).message}): upload again later; nothing will be created twice.`;
        for (const id of todo) if (!results.has(id)) results.set(id, failure(id, isConnectorError(error) ? error.kind : 'error', message));
        await save('failed');
        return;
      }
      await save();
    }

    if (context.retry.size > 0 && !attempt.isLast) {
      await save();
      const waits = [...context.retry.values()].map((e) => e.retryAfterSeconds ?? 0);
      throw new RetryLater(`${context.retry.size} contact(s) hit a temporary ${context.provider} problem; retrying`, Math.max(0, ...waits) || undefined);
    }
    for (const [id, error] of context.retry) {
      results.set(
        id,
        failure(
          id,
          error.kind,
          error.kind === 'uncertain'
            ? `${context.provider} did not confirm whether this contact was saved (${error.message}): upload it again to finish; it will not be created twice.`
            : `${context.provider} kept failing after ${attempt.max} attempts (${error.message}): upload it again later.`,
        ),
      );
    }
    await save('completed');
    this.logger.info('upload finished', { syncRunId, connectionId: run.connectionId, total: input.length, failed: [...results.values()].filter((r) => !r.ok).length });
  }

  private async uploadChunk(context: RunContext, chunk: readonly string[], rows: ReadonlyMap<string, ContactRow>): Promise<void> {
    const { workspaceId } = context.payload;
    const { definition } = context.open.connector;
    const prepared: Prepared[] = [];
    for (const contactId of chunk) {
      const contact = rows.get(contactId);
      if (!contact) {
        context.results.set(contactId, failure(contactId, 'not_found', 'The contact was deleted before the upload ran.'));
        continue;
      }
      const canonical = Contact.parse(contact.data);
      if (!definition.capabilities.contactKinds.includes(canonical.kind)) {
        context.results.set(contactId, failure(contactId, 'validation', `${context.provider} does not take ${canonical.kind}s.`));
        continue;
      }
      const key = { workspaceId, connectionId: context.connectionId, contactId };
      const link = await this.uploads.findLink(key);
      const linked = link?.state === 'linked' && link.remoteId !== null;
      if (linked && link.lastPushedHash === contact.contentHash) {
        context.results.set(contactId, { contactId, ok: true, remoteId: link.remoteId ?? undefined, created: false });
        continue;
      }
      const mapped = await this.mapped(context, contact, canonical, linked);
      if ('problem' in mapped) {
        context.results.set(contactId, failure(contactId, 'validation', `The field mapping refuses this contact: ${mapped.problem}.`));
        continue;
      }
      if (link?.state === 'linked' && link.remoteId) {
        const idempotencyKey = link.idempotencyKey ?? randomUUID();
        if (!link.idempotencyKey) await this.uploads.setIdempotencyKey(key, idempotencyKey);
        const item: UpsertContactItem = { idempotencyKey, remoteId: link.remoteId, contact: mapped.contact, ...(link.remoteVersion ? { version: link.remoteVersion } : {}) };
        prepared.push({ contact, canonical, link, item });
        continue;
      }
      // The state machine keeps the key of an earlier attempt whose outcome is unknown, so the
      // provider replays it instead of creating a second record.
      const { next } = decide(link, { type: 'upload_started', idempotencyKey: randomUUID() });
      const idempotencyKey = next.idempotencyKey ?? randomUUID();
      await this.uploads.preparePending(key, idempotencyKey);
      prepared.push({ contact, canonical, link, item: { idempotencyKey, contact: mapped.contact } });
    }
    if (prepared.length === 0) return;

    const outcomes: ItemResult<UpsertedContact>[] = await context.open.session.contacts.upsert(prepared.map((p) => p.item));
    for (const [index, entry] of prepared.entries()) {
      const outcome = outcomes[index];
      if (!outcome) {
        context.retry.set(entry.contact.id, new ConnectorError({ kind: 'uncertain', message: `${context.provider} returned no result for this contact` }).toJSON());
        continue;
      }
      if (outcome.ok) await this.linked(context, entry, outcome.value);
      else await this.failed(context, entry, outcome.error);
    }
  }

  private async linked(context: RunContext, entry: Prepared, value: UpsertedContact): Promise<void> {
    const { workspaceId } = context.payload;
    const key = { workspaceId, connectionId: context.connectionId, contactId: entry.contact.id };
    const remote = value.remote;
    const wasLinked = entry.link?.state === 'linked';
    if (!wasLinked) decide(pendingOf(entry), { type: 'linked', remoteId: remote.id, method: 'upload' });
    const reason = wasLinked ? `updated by upload` : value.created ? `created by upload` : `upload found it already created (replayed request)`;
    await this.uploads.markLinked(
      key,
      {
        remoteId: remote.id,
        remoteName: remote.contact.displayName ?? entry.contact.displayName,
        remoteVersion: remote.version ?? null,
        lastPushedHash: entry.contact.contentHash,
        linkedBy: wasLinked ? (entry.link?.linkedBy ?? 'upload') : 'upload',
        reason,
      },
      { type: wasLinked ? 'updated' : 'linked', ...context.actor, reason, fromRemoteId: wasLinked ? (entry.link?.remoteId ?? null) : null, toRemoteId: remote.id },
    );
    await this.uploads.mirrorRemote(workspaceId, context.connectionId, remote);
    context.results.set(entry.contact.id, { contactId: entry.contact.id, ok: true, remoteId: remote.id, created: value.created });
  }

  private async failed(context: RunContext, entry: Prepared, error: ConnectorErrorData): Promise<void> {
    const { workspaceId } = context.payload;
    const contactId = entry.contact.id;
    const key = { workspaceId, connectionId: context.connectionId, contactId };
    const isCreate = entry.item.remoteId === undefined;

    if (error.kind === 'duplicate' && isCreate) {
      await this.duplicate(context, entry, error);
      return;
    }
    if (error.kind === 'stale' && !isCreate && entry.item.remoteId) {
      // Someone changed it remotely: learn the current version and try again on the next attempt.
      const current = await this.tryGet(context, entry.canonical.kind, entry.item.remoteId);
      if (current) await this.uploads.setRemoteVersion(key, current.version ?? null);
      context.retry.set(contactId, error);
      return;
    }
    if (RETRYABLE.has(error.kind)) {
      context.retry.set(contactId, error);
      return;
    }
    if ((error.kind === 'remote_inactive' || error.kind === 'not_found') && !isCreate && entry.item.remoteId) {
      await this.remoteGone(context, entry, error, entry.item.remoteId);
      return;
    }
    const message =
      error.kind === 'validation'
        ? `${context.provider} refused ${error.field ? `the field ${error.field}` : 'this contact'}: ${error.message}. Fix the contact and upload again.`
        : error.kind === 'auth_revoked'
          ? `${context.provider} no longer accepts this connection (${error.message}): reconnect it from Integrations and upload again.`
          : `${context.provider} refused this contact: ${error.message}`;
    await this.fail(context, entry, error.kind, message);
  }

  /** The display name is taken remotely: adopt it when it is the same person, else explain. */
  private async duplicate(context: RunContext, entry: Prepared, error: ConnectorErrorData): Promise<void> {
    const { workspaceId } = context.payload;
    const contactId = entry.contact.id;
    const kind = entry.canonical.kind;
    const name = entry.canonical.displayName ?? entry.contact.displayName;
    let existing: RemoteContact | null = null;
    if (error.existingRemoteId) existing = await this.tryGet(context, kind, error.existingRemoteId);
    if (!existing) {
      const found = await context.open.session.contacts.search({ kind, text: name, includeInactive: true });
      existing = found.find((r) => normalizeName(r.contact.displayName) === normalizeName(name)) ?? null;
    }
    const remoteId = existing?.id ?? error.existingRemoteId;
    const idText = remoteId ? ` (Id ${remoteId})` : '';
    if (!existing) {
      await this.fail(context, entry, 'duplicate', `A ${kind} named '${name}' already exists in ${context.provider}${idText}: link it from the Search column or rename this contact.`);
      return;
    }
    await this.uploads.mirrorRemote(workspaceId, context.connectionId, existing);
    if (existing.status !== 'active') {
      await this.fail(
        context,
        entry,
        'duplicate',
        `A ${existing.status} ${kind} named '${name}' already exists in ${context.provider}${idText}: make it active there and link it from the Search column, or rename this contact.`,
      );
      return;
    }
    const verdict = samePerson(entry.canonical, existing.contact);
    if (!verdict.same) {
      this.logger.info('upload found a namesake', { connectionId: context.connectionId, contactId, remoteId: existing.id, why: verdict.why });
      await this.fail(
        context,
        entry,
        'duplicate',
        `A ${kind} named '${name}' already exists in ${context.provider}${idText} and looks like a different person: link it from the Search column or rename this contact.`,
      );
      return;
    }
    decide(pendingOf(entry), { type: 'linked', remoteId: existing.id, method: 'upload' });
    const reason =
      verdict.basis === 'email'
        ? `adopted existing ${context.provider} ${kind} with the same name and email`
        : `adopted existing ${context.provider} ${kind} with the same name (neither has an email)`;
    await this.uploads.markLinked(
      { workspaceId, connectionId: context.connectionId, contactId },
      { remoteId: existing.id, remoteName: existing.contact.displayName ?? name, remoteVersion: existing.version ?? null, lastPushedHash: null, linkedBy: 'upload', reason },
      { type: 'linked', ...context.actor, reason, toRemoteId: existing.id },
    );
    context.results.set(contactId, { contactId, ok: true, remoteId: existing.id, created: false });
  }

  /**
   * The linked remote contact was merged, inactivated, archived or deleted. A merge with a known
   * survivor re-points the link and retries the update against the survivor; anything else
   * invalidates the link with a reason a person can act on.
   */
  private async remoteGone(context: RunContext, entry: Prepared, error: ConnectorErrorData, remoteId: string): Promise<void> {
    const key = { workspaceId: context.payload.workspaceId, connectionId: context.connectionId, contactId: entry.contact.id };
    const reason = error.kind === 'not_found' ? 'deleted' : (error.reason ?? 'inactive');
    const { next, change } = decide(entry.link ? snapshotOf(entry.link) : null, {
      type: 'remote_inactive',
      reason,
      remoteId,
      ...(error.survivorId ? { survivorId: error.survivorId } : {}),
    });
    if (next.state === 'linked' && next.remoteId) {
      const survivor = await this.tryGet(context, entry.canonical.kind, next.remoteId);
      await this.uploads.markLinked(
        key,
        {
          remoteId: next.remoteId,
          remoteName: survivor?.contact.displayName ?? null,
          remoteVersion: survivor?.version ?? null,
          lastPushedHash: null,
          linkedBy: entry.link?.linkedBy ?? 'upload',
          reason: change.reason ?? 'merged',
        },
        { type: 'repointed', ...context.actor, reason: change.reason ?? 'merged', fromRemoteId: remoteId, toRemoteId: next.remoteId },
      );
      context.retry.set(entry.contact.id, { kind: 'stale', message: `the ${context.provider} ${entry.canonical.kind} was merged into Id ${next.remoteId}` });
      return;
    }
    const message = `The linked ${context.provider} ${entry.canonical.kind} (Id ${remoteId}) was ${reason} there: link this contact to another one from the Search column, or upload it again to create it anew.`;
    await this.uploads.invalidate(key, message, { type: 'invalidated', ...context.actor, reason: message, fromRemoteId: remoteId }, error.survivorId ?? null);
    context.results.set(entry.contact.id, failure(entry.contact.id, error.kind, message));
  }

  private async fail(context: RunContext, entry: Prepared, kind: string, message: string): Promise<void> {
    const key = { workspaceId: context.payload.workspaceId, connectionId: context.connectionId, contactId: entry.contact.id };
    const event: LinkEventInput = { type: 'upload_failed', ...context.actor, reason: message };
    if (entry.item.remoteId === undefined) {
      decide(pendingOf(entry), { type: 'upload_failed', reason: message, outcomeUncertain: false });
      await this.uploads.dropPending(key, event);
    } else await this.uploads.recordEvent(key, { ...event, fromRemoteId: entry.item.remoteId });
    context.results.set(entry.contact.id, failure(entry.contact.id, kind, message));
  }

  private async tryGet(context: RunContext, kind: Contact['kind'], id: string): Promise<RemoteContact | null> {
    try {
      return await context.open.session.contacts.get({ kind, id });
    } catch (error) {
      if (isConnectorError(error) && error.kind === 'not_found') return null;
      throw error;
    }
  }
}

function snapshotOf(link: LinkRecord): LinkSnapshot {
  const state = link.state === 'pending' || link.state === 'linked' || link.state === 'invalid' ? link.state : 'unlinked';
  return { state, remoteId: link.remoteId, reason: null, idempotencyKey: link.idempotencyKey };
}

/** The link as it stands after preparePending: pending with the item's idempotency key. */
function pendingOf(entry: Prepared): LinkSnapshot {
  return { ...NO_LINK, state: 'pending', idempotencyKey: entry.item.idempotencyKey };
}

/** Every link change goes through the core state machine; an illegal one is a defect, not a skip. */
function decide(link: LinkRecord | LinkSnapshot | null, command: LinkCommand): Extract<LinkTransition, { ok: true }> {
  const snapshot = link === null ? null : 'linkedBy' in link ? snapshotOf(link) : link;
  const result = transitionLink(snapshot, command);
  if (!result.ok) throw new Error(`Link state error: ${result.error}`);
  return result;
}

function failure(contactId: string, kind: string, message: string): UploadItem {
  return { contactId, ok: false, error: { kind, message } };
}
