// Production entry: `node apps/twilio-sms` after the build.
import { run } from '@hands-on-knative/function-runtime';
import { createApp } from './app.js';
import { loadSmsConfig, VALIDATION_OFF_WARNING, type SmsConfig } from './config.js';

let config: SmsConfig | undefined;
void run(() => {
  config = loadSmsConfig();
  return createApp(config);
}).then(({ logger }) => {
  if (config?.signature === false) logger.warn(VALIDATION_OFF_WARNING);
});
