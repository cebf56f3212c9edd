import { describe, expect, it } from 'vitest';
import { restoreOutput, rewriteCommand, type Sandbox } from '../src/rewrite.js';

const sandbox: Sandbox = { stateDir: '/tmp/t1/state', stateDirRelative: '../../tmp/t1/state', port: 39001, home: '/tmp/t1/home' };

describe('rewriteCommand', () => {
  it('points kubectl and curl at the test serving', () => {
    expect(rewriteCommand('kubectl --kubeconfig .knative-local/kubeconfig get ksvc', sandbox)).toBe('kubectl --kubeconfig /tmp/t1/state/kubeconfig get ksvc');
    expect(rewriteCommand("curl -H 'Host: a.localhost' http://127.0.0.1:8080/x", sandbox)).toBe("curl -H 'Host: a.localhost' http://127.0.0.1:39001/x");
    expect(rewriteCommand('curl http://a.default.localhost:80801', sandbox)).toBe('curl http://a.default.localhost:80801');
  });

  it('gives pnpm start the state folder and port unless the page sets them', () => {
    expect(rewriteCommand('pnpm start', sandbox)).toBe('pnpm start --state /tmp/t1/state --port 39001');
    expect(rewriteCommand('pnpm start --idle 6', sandbox)).toBe('pnpm start --state /tmp/t1/state --port 39001 --idle 6');
    expect(rewriteCommand('pnpm start --port 8080', sandbox)).toBe('pnpm start --state /tmp/t1/state --port 39001');
    expect(rewriteCommand('pnpm start --state .knative-local', sandbox)).toBe('pnpm start --port 39001 --state /tmp/t1/state');
  });

  it('gives the deploy commands the state folder, never the reader-default one', () => {
    expect(rewriteCommand('pnpm traffic helloworld --traffic a=100', sandbox)).toBe('pnpm traffic --state /tmp/t1/state helloworld --traffic a=100');
    expect(rewriteCommand('pnpm apply x.yaml --kubeconfig k', sandbox)).toBe('pnpm apply x.yaml --kubeconfig k');
  });

  it('sends pnpm sms to the test port, signed for the public URL of the manifest', () => {
    expect(rewriteCommand('TWILIO_AUTH_TOKEN=t pnpm sms "hi"', sandbox)).toBe(
      'TWILIO_AUTH_TOKEN=t pnpm sms --url http://twilio-sms.default.localhost:39001/sms --public-url http://twilio-sms.default.localhost:8080/sms "hi"',
    );
  });

  it('quotes a state folder with spaces', () => {
    expect(rewriteCommand('ls .knative-local', { ...sandbox, stateDir: '/tmp/a b/state' })).toBe("ls '/tmp/a b/state'");
  });
});

describe('restoreOutput', () => {
  it('gives back what the reader would see', () => {
    const out = [
      '$ node scripts/run.mjs start --state /tmp/t1/state --port 39001',
      '$ node scripts/run.mjs traffic --state /tmp/t1/state helloworld',
      'Local Knative Serving is up (ingress http://127.0.0.1:39001, state ../../tmp/t1/state)',
      'kubectl --kubeconfig ../../tmp/t1/state/kubeconfig get ksvc',
      'Using /tmp/t1/state/kubeconfig, HOME /tmp/t1/home',
      'http://a.default.localhost:390012',
    ].join('\n');
    expect(restoreOutput(out, sandbox).split('\n')).toEqual([
      '$ node scripts/run.mjs start',
      '$ node scripts/run.mjs traffic helloworld',
      'Local Knative Serving is up (ingress http://127.0.0.1:8080, state .knative-local)',
      'kubectl --kubeconfig .knative-local/kubeconfig get ksvc',
      'Using .knative-local/kubeconfig, HOME ~',
      'http://a.default.localhost:390012',
    ]);
  });
});
