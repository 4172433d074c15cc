import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { type ContactList, type ContactView, type ImportContactsReport, type ImportContactsRequest, routes, type UpsertContactRequest } from '@ledgerlink/contract';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from '../auth/auth.context.js';
import { CurrentUser, RequireRole } from '../auth/auth.decorators.js';
import { type ContactQuery, ContactsService } from './contacts.service.js';
import { ContactsImportService } from './contacts-import.service.js';

@Controller()
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly imports: ContactsImportService,
  ) {}

  @Post(routes.importContacts.path)
  @HttpCode(200)
  @RequireRole('admin')
  import(@CurrentUser() user: AuthContext, @Body(new ZodPipe(routes.importContacts.body)) body: ImportContactsRequest): Promise<ImportContactsReport> {
    return this.imports.import(user, body.csv, body.dryRun ?? false);
  }

  @Get(routes.listContacts.path)
  list(@CurrentUser() user: AuthContext, @Query(new ZodPipe(routes.listContacts.query, 'query')) query: ContactQuery): Promise<ContactList> {
    return this.contacts.list(user, query);
  }

  @Put(routes.upsertContact.path)
  @RequireRole('admin')
  upsert(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.upsertContact.params, 'path')) params: { externalId: string },
    @Body(new ZodPipe(routes.upsertContact.body)) body: UpsertContactRequest,
  ): Promise<ContactView> {
    return this.contacts.upsert(user.workspaceId, params.externalId, body);
  }
}
