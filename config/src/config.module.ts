import { DynamicModule, Global, Module } from '@nestjs/common';
import { GopyConfig, loadConfig } from './gopy-config';

/** Provides the validated GopyConfig to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config?: GopyConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: GopyConfig, useFactory: () => config ?? loadConfig() }],
      exports: [GopyConfig],
    };
  }
}
