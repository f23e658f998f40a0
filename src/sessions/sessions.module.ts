import { Module } from '@nestjs/common';
import { ExpiredSessionsScheduler } from './expired-sessions.scheduler';
import { SessionGuard } from './session.guard';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/**
 * Sessions and their scheduled clean-up (which needs `ScheduleModule.forRoot()` in the app);
 * exports {@link SessionsService} and {@link SessionGuard} to importers.
 */
@Module({
  controllers: [SessionsController],
  providers: [SessionsRepository, SessionsService, SessionGuard, ExpiredSessionsScheduler],
  exports: [SessionsRepository, SessionsService, SessionGuard],
})
export class SessionsModule {}
