// --help of each command. Plain strings: printing them loads nothing else.

const CLUSTER = `cluster:
  -n, --namespace <ns>     namespace (default: the context's, else default)
      --context <name>     kubeconfig context (default: its current-context)
      --kubeconfig <file>  kubeconfig (default: $KUBECONFIG, then ~/.kube/config,
                           then the local serving's <state>/kubeconfig)
      --state <dir>        the local serving's state folder (default .knative-local)`;

const EXIT = `exit codes:
  0 done   1 unexpected error   2 invalid input (nothing was sent)
  3 the cluster said no, or what was deployed failed (reason and message printed)
  4 timed out waiting`;

export const APPLY_HELP = `usage: pnpm apply <file|folder>... [options]

Applies Knative Services (and the Namespaces, Secrets and ConfigMaps beside them)
with server-side apply, field manager "hands-on-knative", then waits for them to
be ready the way kn does and prints the URL and the revision now serving.
Everything is checked before the first request: YAML, the legacy v1alpha1 forms of
the original blog (converted to v1 with a warning; "manual" is refused), image
placeholders, Knative's schema and webhook rules.

images: manifests name hands-on-knative/<app>; it becomes
  --image <app>=<ref>, else <registry>/<app> with --registry, else (local serving)
  unchanged: the local serving runs apps/<app>, else the digest pushed last by
  pnpm ship --repo (<state>/images.json), else an error saying how to push one.
  After pnpm image, pass the reference it printed: --image <app>=<reference>.

traffic: spec.traffic is sent only when the manifest has it. If pnpm traffic set the
  split since, the cluster answers with a conflict naming that field manager:
  remove spec.traffic from the manifest, or take the split back with --force.

options:
      --no-wait            do not wait for readiness
      --timeout <seconds>  how long to wait (default 600)
      --dry-run            print the final objects (Secret values hidden); no cluster needed
  -o, --output yaml|json   with --dry-run (default yaml)
      --registry <repo>    resolve placeholders to <repo>/<app>
      --image <app>=<ref>  resolve one app's placeholder to <ref> (repeatable)
      --force              take over fields another field manager owns
  -h, --help               this text
${CLUSTER}

${EXIT}

examples:
  pnpm apply manifests/helloworld/service-v1.yaml
  pnpm apply manifests/twilio-sms -n default --registry ghcr.io/me
  pnpm apply manifests/legacy/service-runlatest.yaml --dry-run -o json`;

export const TRAFFIC_HELP = `usage: pnpm traffic <service> [--traffic <rev|tag|@latest>=<percent>]... [--tag <rev|@latest>=<tag>]... [--untag <tag>]...

Changes a Service's traffic split with kn's rules: --untag, then --tag, then
--traffic; a reference is a tag before a revision name; untagged 0% targets are
dropped; when the percents you give sum below 100, the remainder goes to the one
revision you did not name. Refuses to send traffic to a revision that is not Ready.
Applied with its own field manager, "hands-on-knative-traffic", so a later
pnpm apply of a manifest without spec.traffic keeps this split.

options:
      --traffic <ref>=<pct>  repeatable, or comma-separated: current=80,candidate=20
      --tag <rev>=<tag>      give a revision (or @latest) a tag and its own URL
      --untag <tag>          remove a tag
      --no-wait / --timeout <seconds> (default 600)
  -h, --help
${CLUSTER}

${EXIT}

examples:
  pnpm traffic helloworld --tag helloworld-00001=current --tag @latest=latest --traffic current=100
  pnpm traffic helloworld --tag helloworld-00003=candidate --traffic current=80 --traffic candidate=20
  pnpm traffic helloworld --traffic current=50,candidate=50`;

export const STATUS_HELP = `usage: pnpm status [service] [options]

What kubectl get pod,ksvc,configuration,revision,route shows, plus each revision's
share of the traffic, its tags and their URLs, and the reason and message of every
condition that is failing.

options:
  -o, --output json|yaml   the same report, structured
  -h, --help
${CLUSTER}

${EXIT}`;

export const DELETE_HELP = `usage: pnpm delete <service>... [options]

Deletes Knative Services (their Configurations, Revisions and Routes go with them).

options:
      --wait               wait until they are gone
      --timeout <seconds>  how long to wait (default 600)
  -h, --help
${CLUSTER}

${EXIT}`;

export const SHIP_HELP = `usage: pnpm ship <app> [--repo <registry>/<namespace>] [options]

Builds apps/<app>, deploys it, waits and prints the URL, in one go.
  With --repo: builds and pushes the image (as pnpm image does), records its digest
  in <state>/images.json, and applies the manifest with the image pinned to it.
  Without --repo, against the local serving (no registry involved): runs the app's
  pnpm build and applies the manifest with the hands-on-knative/<app> placeholder,
  which the local serving runs from apps/<app>.
The manifest is -f <file>, else manifests/<app>/service.yaml, else a Service named
<app> with just the image (as kn service create <app> --image would).

options:
      --repo <registry>/<ns>  where to push (needed for a real cluster)
      --base <image>          base image, as pnpm image --base (e.g. oci-layout:<dir>)
  -f, --filename <file>       the manifest to deploy
      --insecure              plain http to a non-loopback registry
      --force                 take over fields another field manager owns
      --no-wait / --timeout <seconds> (default 600)
  -h, --help
${CLUSTER}

environment: REGISTRY_USERNAME, REGISTRY_PASSWORD (else ~/.docker/config.json), as pnpm image.

${EXIT}

examples:
  pnpm ship helloworld                          # against pnpm start's local serving
  pnpm ship twilio-sms --repo ghcr.io/me -n default`;
