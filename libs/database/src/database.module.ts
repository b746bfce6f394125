import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GopyConfig } from '@gopy/config';
import { dataSourceOptions } from './data-source-options';

/** The shared DataSource. Features register their own entities with forFeature. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [GopyConfig],
      useFactory: (config: GopyConfig) => ({ ...dataSourceOptions(config), autoLoadEntities: true }),
    }),
  ],
})
export class DatabaseModule {}
