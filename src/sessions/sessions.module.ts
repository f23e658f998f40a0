import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ExpiredSessionsScheduler } from './expired-sessions.scheduler';
import { SessionGuard } from './session.guard';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/**
 * Sessions, the app-wide {@link SessionGuard} (every route requires a session unless it is
 * `@Public()`) and the scheduled clean-up (which needs `ScheduleModule.forRoot()` in the app);
 * exports {@link SessionsService} and {@link SessionGuard} to importers.
 */
@Module({
  controllers: [SessionsController],
  providers: [
    SessionsRepository,
    SessionsService,
    SessionGuard,
    ExpiredSessionsScheduler,
    { provide: APP_GUARD, useExisting: SessionGuard },
  ],
  exports: [SessionsRepository, SessionsService, SessionGuard],
})
export class SessionsModule {}
