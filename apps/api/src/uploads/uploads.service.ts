import { Injectable } from '@nestjs/common';
import type { UploadStatus } from '@ledgerlink/contract';
import { ApiErrors } from '../common/api-error.js';
import { JsonLogger } from '../common/json-logger.js';
import { actorOf, type AuthContext } from '../auth/auth.context.js';
import { ConnectionsRepository } from '../connections/connections.repository.js';
import { ContactsRepository } from '../contacts/contacts.repository.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { JOBS } from '../queue/queues.js';
import { UploadsRepository } from './uploads.repository.js';
import { toUploadStatus } from './uploads.dto.js';
import { assertUsable } from '../connections/usable.js';

/** Starting uploads and reading their progress (the HTTP side). */
@Injectable()
export class UploadsService {
  constructor(
    private readonly uploads: UploadsRepository,
    private readonly connections: ConnectionsRepository,
    private readonly contacts: ContactsRepository,
    private readonly queue: JobQueue,
    private readonly logger: JsonLogger,
  ) {}

  async create(auth: AuthContext, connectionId: string, contactIds: readonly string[]): Promise<UploadStatus> {
    const connection = await this.connections.find(auth.workspaceId, connectionId);
    if (!connection) throw ApiErrors.notFound(`Connection ${connectionId}`);
    assertUsable(connection, 'uploading');
    const unique = [...new Set(contactIds)];
    const found = new Set((await this.contacts.findByIds(auth.workspaceId, unique)).map((c) => c.id));
    const missing = contactIds.flatMap((id, index) => (found.has(id) ? [] : [{ path: `contactIds.${index}`, message: `"${id}" is not a contact in this workspace: use the id from GET /api/v1/contacts` }]));
    if (missing.length > 0) throw ApiErrors.invalid(`${missing.length} of the contacts to upload do not exist in this workspace.`, missing);

    const run = await this.uploads.createRun({ workspaceId: auth.workspaceId, connectionId, contactIds: unique });
    try {
      await this.queue.add(JOBS.uploadContacts, { workspaceId: auth.workspaceId, syncRunId: run.id, requestedBy: auth.userId, actorType: actorOf(auth).actorType }, { jobId: run.id });
    } catch (error) {
      this.logger.error('could not enqueue upload', { syncRunId: run.id, error: (error as Error).message });
      await this.uploads.saveResults(auth.workspaceId, run.id, [], 'failed');
      throw ApiErrors.unavailable('The job queue (Redis) is not answering, so the upload could not start: try again in a moment.');
    }
    return toUploadStatus(run);
  }

  async get(auth: AuthContext, connectionId: string, uploadId: string): Promise<UploadStatus> {
    const run = await this.uploads.findRun(auth.workspaceId, uploadId, connectionId);
    if (!run) throw ApiErrors.notFound(`Upload ${uploadId}`);
    return toUploadStatus(run);
  }
}
