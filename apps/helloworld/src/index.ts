// Production entry: `node apps/helloworld` after the build.
import { loadConfig, run } from '@hands-on-knative/function-runtime';
import { createHello } from './hello.js';

await run(() => {
  const config = loadConfig({ TARGET: { default: 'World', description: 'who to greet' } });
  return createHello(config.TARGET);
});
