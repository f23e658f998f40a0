import { Module } from '@nestjs/common';
import { SessionGuard } from './session.guard';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** Sessions; exports {@link SessionsService} and {@link SessionGuard} to importers. */
@Module({
  controllers: [SessionsController],
  providers: [SessionsRepository, SessionsService, SessionGuard],
  exports: [SessionsRepository, SessionsService, SessionGuard],
})
export class SessionsModule {}
