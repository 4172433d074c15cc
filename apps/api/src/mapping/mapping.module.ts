import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MappingController } from './mapping.controller.js';
import { MappingService } from './mapping.service.js';
import { MappingVersions } from './mapping-versions.js';

/** Field mapping routes: the mapping in force with the connector's catalog, save a version, dry-run preview, history. */
@Module({
  imports: [AuthModule],
  controllers: [MappingController],
  providers: [MappingService, MappingVersions],
  exports: [MappingService, MappingVersions],
})
export class MappingModule {}
