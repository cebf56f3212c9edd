// How a page's commands are pointed at the serving the docs test started, and
// how the output is turned back into what the reader would see.
//
// The pages speak of the reader's setup: ingress port 8080 and state folder
// .knative-local. The test runs its own serving on a free port with a temp state
// folder (other runs and a developer's own `pnpm start` may hold 8080), so:
//
//   in commands                                   becomes
//   .knative-local                                <state dir>
//   :8080  and  --port 8080                       :<port>  and  --port <port>
//   pnpm start (without --state / --port)         pnpm start --state <state dir> --port <port>
//   pnpm apply|traffic|status|delete|ship         ... --state <state dir>
//     (without --state / --kubeconfig)
//   pnpm sms (without --url)                      pnpm sms --url http://twilio-sms.default.localhost:<port>/sms
//                                                          --public-url http://twilio-sms.default.localhost:8080/sms
//      (the manifest's PUBLIC_BASE_URL says :8080, and the service checks the
//       signature against that public URL, as it would behind a tunnel)
//
// and in the output, the other way round: the flags it added are removed (pnpm
// echoes the command line), the state dir (absolute or relative to the repo)
// becomes .knative-local, :<port> becomes :8080, the temp HOME becomes ~.

export interface Sandbox {
  /** Absolute state folder of the test's serving. */
  stateDir: string;
  /** The same folder relative to the working directory, as `pnpm start` prints it. */
  stateDirRelative: string;
  /** Ingress port of the test's serving. */
  port: number;
  /** The HOME commands run with. */
  home: string;
}

const DEPLOY_COMMANDS = ['apply', 'traffic', 'status', 'delete', 'ship'];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Shell-quotes a path only when it needs it, so rewritten commands stay readable in reports. */
const quote = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/** Every flag string the rewrite may add, longest first (the output loses them again). */
function injections(sandbox: Sandbox): { start: string; state: string; port: string; sms: string } {
  const state = `--state ${quote(sandbox.stateDir)}`;
  const port = `--port ${sandbox.port}`;
  return {
    start: `${state} ${port}`,
    state,
    port,
    sms: `--url http://twilio-sms.default.localhost:${sandbox.port}/sms --public-url http://twilio-sms.default.localhost:8080/sms`,
  };
}

export function rewriteCommand(script: string, sandbox: Sandbox): string {
  const add = injections(sandbox);
  return script
    .split('\n')
    .map((line) => {
      let result = line.replace(/(?<![\w/-])\.knative-local(?![\w-])/g, quote(sandbox.stateDir));
      result = result.replace(/:8080(?!\d)/g, `:${sandbox.port}`).replace(/--port[ =]8080(?!\d)/g, `--port ${sandbox.port}`);
      const hasState = /--state\b/.test(line);
      result = result.replace(/\bpnpm start(?=\s|$)/, (match) => {
        const hasPort = /--port\b/.test(line);
        const flags = !hasState && !hasPort ? add.start : !hasState ? add.state : !hasPort ? add.port : '';
        return flags ? `${match} ${flags}` : match;
      });
      result = result.replace(new RegExp(`\\bpnpm (${DEPLOY_COMMANDS.join('|')})(?=\\s|$)`), (match) =>
        hasState || /--kubeconfig\b/.test(line) ? match : `${match} ${add.state}`,
      );
      result = result.replace(/\bpnpm sms(?=\s|$)/, (match) => (/--url\b/.test(line) ? match : `${match} ${add.sms}`));
      return result;
    })
    .join('\n');
}

export function restoreOutput(output: string, sandbox: Sandbox): string {
  let result = output;
  const add = injections(sandbox);
  for (const flags of [add.sms, add.start, add.state, add.port]) result = result.split(` ${flags}`).join('');
  // The relative form first: it ends with the absolute one's tail.
  for (const dir of [sandbox.stateDirRelative, sandbox.stateDir]) {
    if (dir) result = result.replace(new RegExp(escape(dir), 'g'), '.knative-local');
  }
  result = result.replace(new RegExp(escape(sandbox.home), 'g'), '~');
  return result.replace(new RegExp(`:${sandbox.port}(?!\\d)`, 'g'), ':8080');
}
