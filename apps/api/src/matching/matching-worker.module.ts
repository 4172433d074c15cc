import { Module } from '@nestjs/common';
import { LinksRepository } from '../links/links.repository.js';
import { MatchingProcessor } from './matching.processor.js';
import { MatchingRepository } from './matching.repository.js';
import { MatchingRunner } from './matching-runner.service.js';

/** The worker side: the Bull processor for the matching queue. */
@Module({
  providers: [MatchingRepository, LinksRepository, MatchingRunner, MatchingProcessor],
})
export class MatchingWorkerModule {}
