import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { ItemsController } from './items.controller';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';

/** Users' items; exports {@link ItemsRepository} and {@link ItemsService}. */
@Module({
  imports: [UsersModule],
  controllers: [ItemsController],
  providers: [ItemsRepository, ItemsService],
  exports: [ItemsRepository, ItemsService],
})
export class ItemsModule {}
