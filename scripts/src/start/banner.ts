// The summary `pnpm start` prints once the services are up.
import path from 'node:path';
import type { LocalServing } from '@hands-on-knative/local-serving';
import type { ServiceState } from './default-manifests.js';

export function banner(input: { serving: LocalServing; services: ServiceState[]; stateDir: string; repoRoot: string }): string {
  const { serving, services } = input;
  const relative = path.relative(process.cwd(), input.stateDir) || '.';
  const kubeconfig = path.join(relative, 'kubeconfig');
  const rows = services.map((s) => [s.name, s.url ?? '-', s.ready, s.ready === 'False' ? `${s.reason}: ${s.message}` : '']);
  const widths = [0, 1, 2].map((i) => Math.max(...[['SERVICE', 'URL', 'READY'][i]!.length, ...rows.map((r) => r[i]!.length)]));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd();
  const first = services.find((s) => s.ready === 'True' && s.name === 'helloworld') ?? services.find((s) => s.ready === 'True');
  const twilio = services.find((s) => s.name === 'twilio-sms' && s.ready === 'True');
  return [
    '',
    `Local Knative Serving is up (ingress ${serving.ingressUrl}, API ${serving.apiUrl}, state ${relative})`,
    '',
    line(['SERVICE', 'URL', 'READY', 'REASON']),
    ...rows.map(line),
    '',
    'Try:',
    ...(first?.url ? [`  curl ${first.url}`] : []),
    ...(twilio ? [`  TWILIO_AUTH_TOKEN=not-a-real-token-replace-me pnpm sms "Hello Knative"${smsFlags(twilio.url)}`] : []),
    `  kubectl --kubeconfig ${kubeconfig} get pod,ksvc,configuration,revision,route`,
    `  kubectl --kubeconfig ${kubeconfig} apply -f manifests/helloworld/service-v2.yaml`,
    '',
    'Ctrl-C drains and stops everything.',
  ].join('\n');
}

/** The manifest's PUBLIC_BASE_URL names port 8080: on another port, say where to send and what was signed. */
function smsFlags(url: string | undefined): string {
  if (!url || (new URL(url).port || '80') === '8080') return '';
  return ` --url ${url}/sms --public-url http://twilio-sms.default.localhost:8080/sms`;
}
