import { Module } from '@nestjs/common';
import { PullController } from './pull.controller.js';
import { PullRepository } from './pull.repository.js';
import { PullService } from './pull.service.js';

/** The HTTP side of mirror pulls; PullService is also used by connections (pull on connect). */
@Module({
  controllers: [PullController],
  providers: [PullRepository, PullService],
  exports: [PullService],
})
export class PullModule {}
