import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module.js';
import { SeedRepository } from './seed.repository.js';
import { SeedService } from './seed.service.js';

@Module({ imports: [ContactsModule], providers: [SeedRepository, SeedService], exports: [SeedService] })
export class SeedModule {}
