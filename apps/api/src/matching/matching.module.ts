import { Module } from '@nestjs/common';
import { LinksRepository } from '../links/links.repository.js';
import { MatchingController } from './matching.controller.js';
import { MatchingRepository } from './matching.repository.js';
import { MatchingScheduler } from './matching-scheduler.service.js';
import { MatchingService } from './matching.service.js';

/** The HTTP side of matching: run on demand, run status, the suggestion review queue. */
@Module({
  controllers: [MatchingController],
  providers: [MatchingRepository, MatchingScheduler, LinksRepository, MatchingService],
})
export class MatchingModule {}
