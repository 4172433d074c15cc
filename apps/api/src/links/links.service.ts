import { Injectable } from '@nestjs/common';
import { type Contact as CanonicalContact, isConnectorError, type RemoteContact } from '@ledgerlink/connector-sdk';
import { type CandidateList, type ContactDetail, type ContactLinkDetail, ContactKind, type LinkCandidate, type LinkEventView, RemoteStatus } from '@ledgerlink/contract';
import { type LinkCommand, type LinkSnapshot, transitionLink } from '@ledgerlink/core';
import { ApiErrors, type ApiException } from '../common/api-error.js';
import { actorOf, type AuthContext } from '../auth/auth.context.js';
import { ApiKeysRepository } from '../auth/api-keys.repository.js';
import { ConnectionUnusableError, ConnectorHostService, type OpenConnection } from '../connector-host/connector-host.service.js';
import { ConnectionsRepository, type ConnectionRow } from '../connections/connections.repository.js';
import { type ContactRow, ContactsRepository } from '../contacts/contacts.repository.js';
import { type LinkKey, LinksRepository, type MirrorRow, type StoredLink } from './links.repository.js';

const CANDIDATE_LIMIT = 25;

/** Linking contacts by hand: candidates, link, unlink, and the contact's link history. */
@Injectable()
export class LinksService {
  constructor(
    private readonly links: LinksRepository,
    private readonly contacts: ContactsRepository,
    private readonly connections: ConnectionsRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly host: ConnectorHostService,
  ) {}

  /** Remote contacts to link to: the mirror first; the provider's live search when the mirror has none. */
  async candidates(auth: AuthContext, connectionId: string, contactId: string, q: string | undefined): Promise<CandidateList> {
    const connection = await this.connection(auth, connectionId);
    const contact = await this.contact(auth, contactId);
    const text = q?.trim() || contact.displayName;
    let source: CandidateList['source'] = 'mirror';
    let rows: MirrorRow[] = await this.links.searchMirror(auth.workspaceId, connectionId, contact.kind, text, CANDIDATE_LIMIT);
    if (rows.length === 0) {
      source = 'live';
      const open = await this.open(auth, connection);
      let found: RemoteContact[];
      try {
        found = await open.session.contacts.search({ kind: ContactKind.parse(contact.kind), text, limit: CANDIDATE_LIMIT, includeInactive: true });
      } catch (error) {
        throw providerProblem(connection, error);
      }
      for (const remote of found) await this.links.mirror(auth.workspaceId, connectionId, remote);
      rows = found.map(toMirrorRow);
    }
    const holders = await this.links.holdersOf(auth.workspaceId, connectionId, rows.map((r) => r.remoteId));
    const items: LinkCandidate[] = rows.map((row) => {
      const holder = holders.get(row.remoteId);
      return {
        remoteId: row.remoteId,
        name: row.displayName,
        email: row.email,
        status: statusOf(row.status),
        linkedTo: holder ? { contactId: holder.contactId, displayName: holder.displayName } : null,
      };
    });
    return { source, items };
  }

  /** Links the contact to an existing remote contact (active, not linked to anyone else). */
  async link(auth: AuthContext, connectionId: string, contactId: string, remoteId: string): Promise<ContactDetail> {
    const connection = await this.connection(auth, connectionId);
    const contact = await this.contact(auth, contactId);
    const kind = ContactKind.parse(contact.kind);
    const open = await this.open(auth, connection);
    const provider = open.connector.definition.displayName;
    let remote: RemoteContact;
    try {
      remote = await open.session.contacts.get({ kind, id: remoteId });
    } catch (error) {
      if (isConnectorError(error) && error.kind === 'not_found') {
        throw ApiErrors.invalid(`There is no ${provider} ${kind} with Id ${remoteId}.`, [{ path: 'remoteId', message: `is not a ${kind} in ${provider}: pick one from the candidates list` }]);
      }
      throw providerProblem(connection, error);
    }
    await this.links.mirror(auth.workspaceId, connectionId, remote);
    const name = remote.contact.displayName ?? remoteId;
    if (remote.status !== 'active') {
      const survivor = remote.status === 'merged' && remote.mergedIntoId ? ` (it was merged into Id ${remote.mergedIntoId}: link that one instead)` : '';
      throw ApiErrors.conflict(`The ${provider} ${kind} '${name}' (Id ${remoteId}) is ${remote.status} there${survivor}: make it active in ${provider} first, or link another one.`);
    }
    const key: LinkKey = { workspaceId: auth.workspaceId, connectionId, contactId };
    const current = await this.links.findLink(key);
    if (current?.state === 'pending') throw ApiErrors.conflict(`An upload of '${contact.displayName}' to ${provider} is in progress: wait for it to finish, then link.`);
    if (current?.state === 'linked' && current.remoteId === remoteId) throw ApiErrors.conflict(`'${contact.displayName}' is already linked to ${provider} ${kind} '${name}' (Id ${remoteId}).`);
    const decided = decide(current, { type: 'linked', remoteId, method: 'manual' });
    await this.links.write(key, { ...decided, change: { ...decided.change, reason: `linked by ${who(auth)}` }, remoteName: name, remoteVersion: remote.version ?? null, linkedBy: 'manual' }, actorOf(auth), async (tx) => {
      const holder = await LinksRepository.otherHolder(tx, key, remoteId);
      if (holder) {
        throw ApiErrors.conflict(`The ${provider} ${kind} '${name}' (Id ${remoteId}) is already linked to '${holder.displayName}' (contact ${holder.contactId}): unlink it there first.`);
      }
    });
    return this.detail(auth, contactId);
  }

  async unlink(auth: AuthContext, connectionId: string, contactId: string, reason: string | undefined): Promise<ContactDetail> {
    const connection = await this.connection(auth, connectionId);
    const contact = await this.contact(auth, contactId);
    const key: LinkKey = { workspaceId: auth.workspaceId, connectionId, contactId };
    const current = await this.links.findLink(key);
    if (!current || current.state === 'unlinked') throw ApiErrors.conflict(`'${contact.displayName}' is not linked on the ${connection.displayName} connection.`);
    if (current.state === 'pending') throw ApiErrors.conflict(`An upload of '${contact.displayName}' to ${connection.displayName} is in progress: wait for it to finish, then unlink.`);
    const decided = decide(current, { type: 'unlink', reason: reason?.trim() || `unlinked by ${who(auth)}` });
    await this.links.write(key, { ...decided, remoteName: null, remoteVersion: null }, actorOf(auth));
    return this.detail(auth, contactId);
  }

  /** The contact's fields and each of its links with the link's history. */
  async detail(auth: AuthContext, contactId: string): Promise<ContactDetail> {
    const contact = await this.contact(auth, contactId);
    const [links, events] = await Promise.all([this.links.linksOfContact(auth.workspaceId, contactId), this.links.eventsOfContact(auth.workspaceId, contactId)]);
    const userIds = events.filter((e) => e.actorType === 'user' && e.actorId).map((e) => e.actorId ?? '');
    const keyIds = events.filter((e) => e.actorType === 'host' && e.actorId).map((e) => e.actorId ?? '');
    const [users, keys, open] = await Promise.all([
      this.links.userNames(userIds),
      this.apiKeys.names(keyIds),
      this.host.openForDisplay(auth.workspaceId, [...new Set(links.map((l) => l.connectionId))]),
    ]);
    const connectors = new Map((await this.connections.list(auth.workspaceId)).map((c) => [c.id, c.connectorId]));
    const mirrors = new Map(
      (await this.links.mirrorsOf(auth.workspaceId, links.flatMap((l) => (l.remoteId ? [{ connectionId: l.connectionId, remoteId: l.remoteId }] : [])))).map((m) => [
        `${m.connectionId}:${m.remoteId}`,
        m,
      ]),
    );
    const entity = contact.kind === 'supplier' ? 'supplier' : 'customer';
    const views: ContactLinkDetail[] = links.map((link) => ({
      connectionId: link.connectionId,
      connectorId: connectors.get(link.connectionId) ?? 'unknown',
      remoteId: link.remoteId,
      remoteName: link.remoteName,
      state: linkState(link.state),
      reason: link.reason,
      linkedBy: link.linkedBy,
      deepLink: link.remoteId ? deepLink(open.get(link.connectionId), entity, link.remoteId) : null,
      updatedAt: link.updatedAt.toISOString(),
      remote: remoteSummary(link.remoteId ? mirrors.get(`${link.connectionId}:${link.remoteId}`) : undefined),
      events: events
        .filter((e) => e.connectionId === link.connectionId)
        .map(
          (e): LinkEventView => ({
            id: e.id,
            type: e.type,
            fromRemoteId: e.fromRemoteId,
            toRemoteId: e.toRemoteId,
            actorType: e.actorType === 'user' || e.actorType === 'host' ? e.actorType : 'system',
            actorId: e.actorId,
            actorName: e.actorId ? ((e.actorType === 'host' ? keys : users).get(e.actorId) ?? null) : null,
            reason: e.reason,
            createdAt: e.createdAt.toISOString(),
          }),
        ),
    }));
    const canonical = contact.data as Partial<CanonicalContact>;
    return {
      id: contact.id,
      externalId: contact.externalId,
      kind: ContactKind.parse(contact.kind),
      displayName: contact.displayName,
      companyName: contact.companyName,
      email: contact.email,
      phone: contact.phone,
      givenName: canonical.givenName ?? null,
      familyName: canonical.familyName ?? null,
      notes: canonical.notes ?? null,
      version: contact.version,
      createdAt: contact.createdAt.toISOString(),
      updatedAt: contact.updatedAt.toISOString(),
      links: views,
    };
  }

  private async connection(auth: AuthContext, connectionId: string): Promise<ConnectionRow> {
    const connection = await this.connections.find(auth.workspaceId, connectionId);
    if (!connection) throw ApiErrors.notFound(`Connection ${connectionId}`);
    return connection;
  }

  private async contact(auth: AuthContext, contactId: string): Promise<ContactRow> {
    const [contact] = await this.contacts.findByIds(auth.workspaceId, [contactId]);
    if (!contact) throw ApiErrors.notFound(`Contact ${contactId}`);
    return contact;
  }

  private async open(auth: AuthContext, connection: ConnectionRow): Promise<OpenConnection> {
    try {
      return await this.host.open(auth.workspaceId, connection.id);
    } catch (error) {
      if (error instanceof ConnectionUnusableError) throw ApiErrors.conflict(error.message);
      throw error;
    }
  }
}

function decide(link: StoredLink | null, command: LinkCommand) {
  const snapshot: LinkSnapshot | null = link
    ? { state: linkState(link.state), remoteId: link.remoteId, reason: link.reason, idempotencyKey: link.idempotencyKey }
    : null;
  const result = transitionLink(snapshot, command);
  if (!result.ok) throw ApiErrors.conflict(`This link cannot change that way: ${result.error}.`);
  return result;
}

function linkState(state: string): 'pending' | 'linked' | 'invalid' | 'unlinked' {
  return state === 'pending' || state === 'linked' || state === 'invalid' ? state : 'unlinked';
}

function statusOf(status: string): LinkCandidate['status'] {
  const parsed = RemoteStatus.safeParse(status);
  return parsed.success ? parsed.data : 'inactive';
}

function who(auth: AuthContext): string {
  return auth.via === 'api_key' ? `API key "${auth.name}"` : auth.name;
}

function toMirrorRow(remote: RemoteContact): MirrorRow {
  return {
    remoteId: remote.id,
    kind: remote.contact.kind,
    displayName: remote.contact.displayName ?? remote.id,
    email: remote.contact.emails[0]?.address.toLowerCase() ?? null,
    status: remote.status,
    mergedIntoId: remote.mergedIntoId ?? null,
    version: remote.version ?? null,
  };
}

function deepLink(open: OpenConnection | undefined, entity: 'customer' | 'supplier', remoteId: string): string | null {
  try {
    return open?.session.deepLink(entity, remoteId) ?? null;
  } catch {
    return null;
  }
}

/** A provider failure during a person's request: 503 with the provider's message, or 409 when the sign-in is gone. */
function providerProblem(connection: ConnectionRow, error: unknown): ApiException {
  if (isConnectorError(error) && error.kind === 'auth_revoked') return ApiErrors.conflict(error.message);
  if (isConnectorError(error)) return ApiErrors.unavailable(`${connection.displayName} did not answer as expected (${error.message}): try again in a moment.`);
  throw error;
}

/** What the provider holds for a linked record, from the mirror's canonical contact. */
function remoteSummary(mirror: { readonly status: string; readonly data: unknown } | undefined): ContactLinkDetail['remote'] {
  if (!mirror) return null;
  const contact = (typeof mirror.data === 'object' && mirror.data !== null && 'contact' in mirror.data ? (mirror.data as { contact: unknown }).contact : mirror.data) as {
    paymentTerms?: string; currency?: string; emails?: Array<{ address?: string }>; phones?: Array<{ number?: string }>;
  } | null;
  return {
    paymentTerms: contact?.paymentTerms ?? null,
    currency: contact?.currency ?? null,
    email: contact?.emails?.[0]?.address ?? null,
    phone: contact?.phones?.[0]?.number ?? null,
    status: mirror.status,
  };
}
