import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestServer } from '@hands-on-knative/function-runtime/testing';
import { createHello } from '../src/hello.js';

describe('helloworld handler', () => {
  it('greets the configured target on any path', async () => {
    const t = createTestServer(createHello('Knative'));
    await request(t.listener).get('/').expect(200, 'Hello Knative!\n');
    await request(t.listener).get('/some/path?x=1').expect(200, 'Hello Knative!\n');
  });

  it('can be called directly, without a socket', () => {
    const hello = createHello('World');
    expect(hello({} as never, {} as never)).toBe('Hello World!\n');
  });
});
