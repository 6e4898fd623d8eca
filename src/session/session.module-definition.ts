import { ConfigurableModuleBuilder } from '@nestjs/common';
import { SessionModuleOptions } from './session.options';

export const {
  ConfigurableModuleClass: SessionModuleBase,
  MODULE_OPTIONS_TOKEN: SESSION_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<SessionModuleOptions>({ moduleName: 'Session' })
  .setClassMethodName('forRoot')
  .build();
