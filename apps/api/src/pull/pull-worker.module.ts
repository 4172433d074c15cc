import { Module } from '@nestjs/common';
import { ConnectorHostModule } from '../connector-host/connector-host.module.js';
import { LinksRepository } from '../links/links.repository.js';
import { MatchingRepository } from '../matching/matching.repository.js';
import { MatchingScheduler } from '../matching/matching-scheduler.service.js';
import { PullProcessor } from './pull.processor.js';
import { PullRepository } from './pull.repository.js';
import { PullRunner } from './pull-runner.service.js';

/** The worker side: the Bull processor for the pull queue. */
@Module({
  imports: [ConnectorHostModule],
  providers: [PullRepository, LinksRepository, MatchingRepository, MatchingScheduler, PullRunner, PullProcessor],
})
export class PullWorkerModule {}
