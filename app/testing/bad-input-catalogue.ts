/**
 * Bad input, catalogued (issue 17 item 5): what a person or a script may get wrong, on each surface
 * (the UI, the API, the `berth` command), and the exact message Berth answers with. One list, three
 * users: bad-input-catalogue.integration.test.ts drives every API and CLI entry against a real Berth,
 * e2e/bad-input-catalogue.spec.ts every UI entry in Chromium, and `npm run readme:bad-inputs` writes
 * README's table from it (a unit test fails when the two differ).
 *
 * In `input` and `message`, {name} is a part the test fills in (see PLACEHOLDERS): a folder of its own,
 * a container it started, a port that container holds. A placeholder the test does not know (such as
 * {reason}, see WILDCARDS) matches any text, so a message is exact except where its variable part is named.
 */

export type BadInputSurface = 'UI' | 'API' | 'CLI';

/** How the tests give the input. */
export type BadInputDrive =
  /** An API method over browser mode's WebSocket; it must answer with this error. */
  | { kind: 'call'; method: string; args: unknown }
  /** An API stream; it must end with this error. */
  | { kind: 'stream'; stream: string; args: unknown }
  /** volumes.importBegin for a new volume, then importChunk with `text` as its first bytes. */
  | { kind: 'volume-import'; volume: string; text: string }
  /** bin/berth.js with these arguments: `berth: MESSAGE` on stderr and this exit code. */
  | { kind: 'cli'; argv: string[]; exit: number }
  /** The settings file holds `content`; `berth settings list` prints `Problem: MESSAGE`. */
  | { kind: 'settings-file'; content: string }
  /** Driven by the e2e spec, which names a step for each UI entry. */
  | { kind: 'ui' };

export interface BadInput {
  /** Stable and unique: the name of its test. */
  id: string;
  surface: BadInputSurface;
  /** What a person gives, as README shows it. */
  input: string;
  /** The exact message, {placeholders} for the variable parts. */
  message: string;
  drive: BadInputDrive;
}

/** The placeholders the tests fill in; any other {name} in a message is a wildcard. */
export const PLACEHOLDERS = {
  sandbox: 'a temporary folder of the test (with context/Dockerfile, notes.txt, broken/Dockerfile)',
  container: 'a running container the test started (bad-inputs-web)',
  port: 'a host port that container publishes',
  volume: 'a volume that exists (bad-inputs-data)',
  network: 'a network that exists (bad-inputs-net)',
  registry: 'a private registry on 127.0.0.1',
  settingsFile: "Berth's settings file",
  maxCpus: 'the CPUs of this computer',
  maxMemoryMiB: 'the memory the VM may have on this computer',
  commands: "the `berth` command's commands, comma-separated",
  settingKeys: 'the setting keys, comma-separated',
} as const;

/** Parts that vary with this computer's software and are not the test's to fill in: they match any text. */
export const WILDCARDS = {
  reason: "the JSON parser's own words (they differ between Node versions)",
} as const;

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const RUN = {
  image: 'berth-test/busybox:latest',
  env: [],
  ports: [],
  volumes: [],
  restart: 'no',
  autoRemove: false,
  interactive: false,
} as const;
const TERMINAL = { containerId: 'bad-inputs-web', mode: 'shell', cols: 80, rows: 24 } as const;
const NAME_RULE = 'starts with a letter or digit and contains only letters, digits, "_", "." and "-".';
const REFERENCE_EXAMPLE = 'e.g. busybox, busybox:1.36 or 127.0.0.1:5000/team/app:1.0';
const keepsLastGood = 'Berth keeps the last good settings until it is fixed.';

const imageReferences: BadInput[] = [
  {
    id: 'pull-uppercase',
    surface: 'API',
    input: 'images.pull reference `BusyBox`',
    message: 'Invalid image reference "BusyBox": repository names must be lowercase.',
    drive: { kind: 'stream', stream: 'images.pull', args: { reference: 'BusyBox' } },
  },
  {
    id: 'pull-empty',
    surface: 'API',
    input: 'images.pull reference `` (empty)',
    message: `An image reference is required (${REFERENCE_EXAMPLE}).`,
    drive: { kind: 'stream', stream: 'images.pull', args: { reference: '' } },
  },
  {
    id: 'pull-bad-tag',
    surface: 'API',
    input: 'images.pull reference `busybox:-1`',
    message:
      'Invalid image reference "busybox:-1": the tag "-1" may have up to 128 letters, digits, "_", "." and "-", and cannot start with "." or "-".',
    drive: { kind: 'stream', stream: 'images.pull', args: { reference: 'busybox:-1' } },
  },
  {
    id: 'pull-bad-digest',
    surface: 'API',
    input: 'images.pull reference `busybox@sha256:abc`',
    message: 'Invalid image reference "busybox@sha256:abc": "sha256:abc" is not a digest (algorithm:hex, e.g. sha256:…).',
    drive: { kind: 'stream', stream: 'images.pull', args: { reference: 'busybox@sha256:abc' } },
  },
  {
    id: 'pull-empty-component',
    surface: 'API',
    input: 'images.pull reference `team//app`',
    message: 'Invalid image reference "team//app": it has an empty path component ("//" or a trailing "/").',
    drive: { kind: 'stream', stream: 'images.pull', args: { reference: 'team//app' } },
  },
  {
    id: 'pull-not-in-registry',
    surface: 'API',
    input: 'images.pull reference `{registry}/bad-inputs/absent:1` (not there)',
    message: 'Image {registry}/bad-inputs/absent:1 was not found in registry {registry}.',
    drive: { kind: 'stream', stream: 'images.pull', args: { reference: '{registry}/bad-inputs/absent:1' } },
  },
  {
    id: 'pull-bad-platform',
    surface: 'API',
    input: 'images.pull platform `linux`',
    message: '"linux" is not a platform: write it as os/architecture[/variant], for example linux/arm64 or linux/arm/v7.',
    drive: { kind: 'stream', stream: 'images.pull', args: { reference: 'busybox', platform: 'linux' } },
  },
  {
    id: 'tag-with-digest',
    surface: 'API',
    input: `images.tag target \`team/app@${DIGEST.slice(0, 12)}…\``,
    message: `A tag cannot have a digest: "team/app@${DIGEST}".`,
    drive: { kind: 'call', method: 'images.tag', args: { source: RUN.image, target: `team/app@${DIGEST}` } },
  },
  {
    id: 'commit-with-digest',
    surface: 'API',
    input: `containers.commit reference \`snap@${DIGEST.slice(0, 12)}…\``,
    message: `Invalid image name "snap@${DIGEST}": a new image gets a tag, not a digest (@…).`,
    drive: {
      kind: 'call',
      method: 'containers.commit',
      args: { id: 'bad-inputs-web', reference: `snap@${DIGEST}`, message: null },
    },
  },
  {
    id: 'remove-missing-image',
    surface: 'API',
    input: 'images.remove reference `bad-inputs/absent:1` (not here)',
    message: 'There is no image bad-inputs/absent:1.',
    drive: { kind: 'call', method: 'images.remove', args: { reference: 'bad-inputs/absent:1' } },
  },
  {
    id: 'login-bad-registry',
    surface: 'API',
    input: 'images.login registry `http://`',
    message: '"http://" is not a registry address (host or host:port, e.g. 127.0.0.1:5000).',
    drive: { kind: 'call', method: 'images.login', args: { registry: 'http://', username: 'me', password: 'secret' } },
  },
];

const runRequests: BadInput[] = [
  {
    id: 'run-bad-name',
    surface: 'API',
    input: 'images.run name `-web`',
    message:
      'Invalid container name "-web": at least 2 characters, starting with a letter or digit, then letters, digits, "_", "." or "-".',
    drive: { kind: 'stream', stream: 'images.run', args: { ...RUN, name: '-web' } },
  },
  {
    id: 'run-name-taken',
    surface: 'API',
    input: 'images.run name `{container}` (taken)',
    message: 'The name {container} is already taken by another container.',
    drive: { kind: 'stream', stream: 'images.run', args: { ...RUN, name: '{container}' } },
  },
  {
    id: 'run-env-without-equals',
    surface: 'API',
    input: 'images.run environment line `NOT_A_PAIR`',
    message: 'Invalid environment variable "NOT_A_PAIR": write it as KEY=value.',
    drive: { kind: 'stream', stream: 'images.run', args: { ...RUN, env: ['NOT_A_PAIR'] } },
  },
  {
    id: 'run-unclosed-quote',
    surface: 'API',
    input: 'images.run command `sh -c "echo hi`',
    message: 'The command has an unclosed double quote.',
    drive: { kind: 'stream', stream: 'images.run', args: { ...RUN, command: 'sh -c "echo hi' } },
  },
  {
    id: 'run-auto-remove-restart',
    surface: 'API',
    input: 'images.run auto-remove with restart `always`',
    message: 'Auto-remove cannot be combined with the restart policy "always": a removed container cannot restart.',
    drive: { kind: 'stream', stream: 'images.run', args: { ...RUN, autoRemove: true, restart: 'always' } },
  },
  {
    id: 'run-port-twice',
    surface: 'API',
    input: 'images.run host port 8080/tcp twice',
    message: 'Host port 8080/tcp is published twice.',
    drive: {
      kind: 'stream',
      stream: 'images.run',
      args: {
        ...RUN,
        ports: [
          { hostPort: 8080, containerPort: 80, protocol: 'tcp' },
          { hostPort: 8080, containerPort: 81, protocol: 'tcp' },
        ],
      },
    },
  },
  {
    id: 'run-port-out-of-range',
    surface: 'API',
    input: 'images.run host port `70000`',
    message: 'ports.0.hostPort: A port is between 1 and 65535.',
    drive: {
      kind: 'stream',
      stream: 'images.run',
      args: { ...RUN, ports: [{ hostPort: 70000, containerPort: 80, protocol: 'tcp' }] },
    },
  },
  {
    id: 'run-port-taken',
    surface: 'API',
    input: 'images.run host port `{port}` (published by {container})',
    message:
      'Port {port} is already in use by container {container}. The container bad-inputs-clash was created but not started.',
    drive: {
      kind: 'stream',
      stream: 'images.run',
      args: { ...RUN, name: 'bad-inputs-clash', ports: [{ hostPort: '{port}', containerPort: 80, protocol: 'tcp' }] },
    },
  },
  {
    id: 'run-relative-target',
    surface: 'API',
    input: 'images.run volume target `data`',
    message: 'The container path "data" must be absolute (start with /).',
    drive: {
      kind: 'stream',
      stream: 'images.run',
      args: { ...RUN, volumes: [{ source: '{volume}', target: 'data', readOnly: false }] },
    },
  },
  {
    id: 'run-relative-source',
    surface: 'API',
    input: 'images.run volume source `./data`',
    message: 'The volume source "./data" must be a volume name or an absolute host path (starting with /).',
    drive: {
      kind: 'stream',
      stream: 'images.run',
      args: { ...RUN, volumes: [{ source: './data', target: '/data', readOnly: false }] },
    },
  },
  {
    id: 'run-missing-bind-source',
    surface: 'API',
    input: 'images.run bind source `{sandbox}/missing`',
    message: 'The host path {sandbox}/missing does not exist: a bind mount needs an existing file or folder.',
    drive: {
      kind: 'stream',
      stream: 'images.run',
      args: { ...RUN, volumes: [{ source: '{sandbox}/missing', target: '/data', readOnly: false }] },
    },
  },
  {
    id: 'run-two-mounts-one-target',
    surface: 'API',
    input: 'images.run two volumes at `/data`',
    message: 'Two volumes are mounted at /data.',
    drive: {
      kind: 'stream',
      stream: 'images.run',
      args: {
        ...RUN,
        volumes: [
          { source: '{volume}', target: '/data', readOnly: false },
          { source: '{sandbox}', target: '/data', readOnly: true },
        ],
      },
    },
  },
];

const builds: BadInput[] = [
  {
    id: 'build-relative-context',
    surface: 'API',
    input: 'images.build context `app/`',
    message: 'The context folder must be an absolute path: "app/".',
    drive: { kind: 'stream', stream: 'images.build', args: { contextPath: 'app/' } },
  },
  {
    id: 'build-missing-context',
    surface: 'API',
    input: 'images.build context `{sandbox}/missing`',
    message: 'The context folder {sandbox}/missing does not exist.',
    drive: { kind: 'stream', stream: 'images.build', args: { contextPath: '{sandbox}/missing' } },
  },
  {
    id: 'build-context-is-file',
    surface: 'API',
    input: 'images.build context `{sandbox}/notes.txt` (a file)',
    message: 'The context {sandbox}/notes.txt is not a folder.',
    drive: { kind: 'stream', stream: 'images.build', args: { contextPath: '{sandbox}/notes.txt' } },
  },
  {
    id: 'build-dockerfile-outside',
    surface: 'API',
    input: 'images.build Dockerfile `../notes.txt`',
    message: 'The Dockerfile {sandbox}/notes.txt must be inside the context folder {sandbox}/context.',
    drive: { kind: 'stream', stream: 'images.build', args: { contextPath: '{sandbox}/context', dockerfile: '../notes.txt' } },
  },
  {
    id: 'build-missing-dockerfile',
    surface: 'API',
    input: 'images.build Dockerfile `Containerfile` (not there)',
    message: 'There is no Dockerfile at {sandbox}/context/Containerfile.',
    drive: { kind: 'stream', stream: 'images.build', args: { contextPath: '{sandbox}/context', dockerfile: 'Containerfile' } },
  },
  {
    id: 'build-dockerfile-typo',
    surface: 'API',
    input: 'images.build a Dockerfile with `FORM busybox`',
    message: 'Dockerfile syntax error: line 2: unknown instruction: FORM',
    drive: { kind: 'stream', stream: 'images.build', args: { contextPath: '{sandbox}/broken' } },
  },
];

const containers: BadInput[] = [
  {
    id: 'container-bad-ref',
    surface: 'API',
    input: 'containers.start id `../etc`',
    message:
      'id: Not a container id or name: it starts with a letter or digit and contains only letters, digits, "_", "." and "-".',
    drive: { kind: 'call', method: 'containers.start', args: { id: '../etc' } },
  },
  {
    id: 'container-missing',
    surface: 'API',
    input: 'containers.start id `bad-inputs-absent`',
    message: 'There is no container bad-inputs-absent.',
    drive: { kind: 'call', method: 'containers.start', args: { id: 'bad-inputs-absent' } },
  },
  {
    id: 'container-bad-signal',
    surface: 'API',
    input: 'containers.kill signal `SIGFOO`',
    message: '"SIGFOO" is not a signal. Use a name such as SIGTERM, SIGKILL or SIGHUP, or a number from 1 to 64.',
    drive: { kind: 'call', method: 'containers.kill', args: { id: 'bad-inputs-web', signal: 'SIGFOO' } },
  },
  {
    id: 'container-rename-bad',
    surface: 'API',
    input: 'containers.rename name `my web`',
    message: `name: A container name ${NAME_RULE}`,
    drive: { kind: 'call', method: 'containers.rename', args: { id: 'bad-inputs-web', name: 'my web' } },
  },
  {
    id: 'container-files-relative',
    surface: 'API',
    input: 'containers.files path `etc`',
    message: 'path: An absolute path (starting with /) is required.',
    drive: { kind: 'call', method: 'containers.files', args: { id: 'bad-inputs-web', path: 'etc' } },
  },
  {
    id: 'container-files-not-folder',
    surface: 'API',
    input: 'containers.files path `/etc/hostname` (a file)',
    message: '/etc/hostname is a file, not a folder.',
    drive: { kind: 'call', method: 'containers.files', args: { id: 'bad-inputs-web', path: '/etc/hostname' } },
  },
  {
    id: 'terminal-unknown-user',
    surface: 'API',
    input: 'terminal.open user `nobody-here`',
    message: 'User "nobody-here" does not exist in container {container}.',
    drive: { kind: 'call', method: 'terminal.open', args: { ...TERMINAL, user: 'nobody-here' } },
  },
  {
    id: 'terminal-missing-shell',
    surface: 'API',
    input: 'terminal.open shell `/bin/zsh`',
    message: '/bin/zsh does not exist in container {container} (or is not executable).',
    drive: { kind: 'call', method: 'terminal.open', args: { ...TERMINAL, shell: '/bin/zsh' } },
  },
  {
    id: 'terminal-missing-workdir',
    surface: 'API',
    input: 'terminal.open working directory `/nowhere`',
    message: 'The working directory /nowhere does not exist in container {container}.',
    drive: { kind: 'call', method: 'terminal.open', args: { ...TERMINAL, workdir: '/nowhere' } },
  },
  {
    id: 'terminal-bad-user',
    surface: 'API',
    input: 'terminal.open user `root; id`',
    message:
      'user: A user name or uid, optionally with :group (root, 1000 or 1000:1000): letters, digits, "_", "." and "-" only.',
    drive: { kind: 'call', method: 'terminal.open', args: { ...TERMINAL, user: 'root; id' } },
  },
];

const volumesNetworksPorts: BadInput[] = [
  {
    id: 'volume-short-name',
    surface: 'API',
    input: 'volumes.create name `a`',
    message: 'name: A volume name needs at least 2 characters.',
    drive: { kind: 'call', method: 'volumes.create', args: { name: 'a' } },
  },
  {
    id: 'volume-exists',
    surface: 'API',
    input: 'volumes.create name `{volume}` (exists)',
    message: 'A volume named {volume} already exists.',
    drive: { kind: 'call', method: 'volumes.create', args: { name: '{volume}' } },
  },
  {
    id: 'volume-remove-missing',
    surface: 'API',
    input: 'volumes.remove name `bad-inputs-absent` (not there)',
    message: 'There is no volume bad-inputs-absent.',
    drive: { kind: 'call', method: 'volumes.remove', args: { name: 'bad-inputs-absent' } },
  },
  {
    id: 'volume-import-not-tar',
    surface: 'API',
    input: 'volumes.importBegin + importChunk of a text file',
    message:
      'This file is not a tar archive: its first 512 bytes are not a tar header (the checksum does not match). Nothing was created.',
    drive: { kind: 'volume-import', volume: 'bad-inputs-imported', text: 'These are notes, not an archive.\n'.repeat(40) },
  },
  {
    id: 'network-bad-name',
    surface: 'API',
    input: 'networks.create name `-net`',
    message: `name: A network name ${NAME_RULE}`,
    drive: { kind: 'call', method: 'networks.create', args: { name: '-net' } },
  },
  {
    id: 'network-bad-subnet',
    surface: 'API',
    input: 'networks.create subnet `10.1.0.0/31`',
    message: 'subnet: A subnet needs a prefix of /30 or shorter to hold a gateway and a container.',
    drive: { kind: 'call', method: 'networks.create', args: { name: 'bad-inputs-net2', subnet: '10.1.0.0/31' } },
  },
  {
    id: 'network-exists',
    surface: 'API',
    input: 'networks.create name `{network}` (exists)',
    message: 'A network named {network} already exists.',
    drive: { kind: 'call', method: 'networks.create', args: { name: '{network}' } },
  },
  {
    id: 'network-remove-builtin',
    surface: 'API',
    input: 'networks.remove `bridge`',
    message: "bridge is one of the engine's own networks (bridge, host, none); it cannot be removed.",
    drive: { kind: 'call', method: 'networks.remove', args: { id: 'bridge' } },
  },
  {
    id: 'port-holder-zero',
    surface: 'API',
    input: 'system.portHolder port `0`',
    message: 'port: A port is between 1 and 65535.',
    drive: { kind: 'call', method: 'system.portHolder', args: { port: 0 } },
  },
];

const composeAndEngines: BadInput[] = [
  {
    id: 'compose-relative-file',
    surface: 'API',
    input: 'compose.up file `compose.yaml` (relative)',
    message: 'The compose file must be given as a full path on this computer, not "compose.yaml".',
    drive: { kind: 'stream', stream: 'compose.up', args: { file: 'compose.yaml', projectName: null } },
  },
  {
    id: 'compose-missing-file',
    surface: 'API',
    input: 'compose.up file `{sandbox}/compose.yaml` (not there)',
    message: 'There is no file at {sandbox}/compose.yaml. Check the path: it is a path on this computer.',
    drive: { kind: 'stream', stream: 'compose.up', args: { file: '{sandbox}/compose.yaml', projectName: null } },
  },
  {
    id: 'compose-folder',
    surface: 'API',
    input: 'compose.up file `{sandbox}/context` (a folder)',
    message: '{sandbox}/context is a folder. Choose the compose file in it (compose.yaml or docker-compose.yml).',
    drive: { kind: 'stream', stream: 'compose.up', args: { file: '{sandbox}/context', projectName: null } },
  },
  {
    id: 'compose-not-compose',
    surface: 'API',
    input: 'compose.up file `{sandbox}/notes.txt` (text, no services)',
    message: '{sandbox}/notes.txt is not a compose file: it has no top-level "services:" section.',
    drive: { kind: 'stream', stream: 'compose.up', args: { file: '{sandbox}/notes.txt', projectName: null } },
  },
  {
    id: 'engine-unknown-scheme',
    surface: 'API',
    input: 'engines.add address `ftp://build-host`',
    message: 'address: "ftp://build-host" is not an engine address: use ssh://user@host[:port] or tcp://host:port.',
    drive: { kind: 'call', method: 'engines.add', args: { name: 'build', address: 'ftp://build-host', tls: null } },
  },
  {
    id: 'engine-bad-port',
    surface: 'API',
    input: 'engines.add address `ssh://me@build-host:99999`',
    message: 'address: "99999" is not a port: use a number from 1 to 65535.',
    drive: { kind: 'call', method: 'engines.add', args: { name: 'build', address: 'ssh://me@build-host:99999', tls: null } },
  },
  {
    id: 'engine-tcp-without-tls',
    surface: 'API',
    input: 'engines.add address `tcp://build-host:2376` without TLS files',
    message: 'tls: A tcp:// engine needs TLS: give the CA certificate, client certificate and key (as in DOCKER_CERT_PATH).',
    drive: { kind: 'call', method: 'engines.add', args: { name: 'build', address: 'tcp://build-host:2376', tls: null } },
  },
  {
    id: 'engine-ssh-password',
    surface: 'API',
    input: 'engines.add address `ssh://me:hunter2@build-host`',
    message: 'address: Passwords do not go in the address: Berth uses your ssh keys and agent (BatchMode).',
    drive: { kind: 'call', method: 'engines.add', args: { name: 'build', address: 'ssh://me:hunter2@build-host', tls: null } },
  },
];

/** Arguments of the wrong shape: refused by the contract before anything runs, in words, not zod's. */
const argumentShapes: BadInput[] = [
  {
    id: 'args-name-too-long',
    surface: 'API',
    input: 'images.run name of 200 characters',
    message: 'name: Too long: at most 128 characters.',
    drive: { kind: 'stream', stream: 'images.run', args: { ...RUN, name: 'a'.repeat(200) } },
  },
  {
    id: 'args-unknown-restart',
    surface: 'API',
    input: 'images.run restart `sometimes`',
    message: 'restart: Must be one of "no", "always", "unless-stopped", "on-failure".',
    drive: { kind: 'stream', stream: 'images.run', args: { ...RUN, restart: 'sometimes' } },
  },
  {
    id: 'args-wrong-type',
    surface: 'API',
    input: 'containers.start id `5` (a number)',
    message: 'id: Expected a string, not a number.',
    drive: { kind: 'call', method: 'containers.start', args: { id: 5 } },
  },
  {
    id: 'args-missing',
    surface: 'API',
    input: 'containers.remove without `force`',
    message: 'force: Missing: true or false is required.',
    drive: { kind: 'call', method: 'containers.remove', args: { id: 'bad-inputs-web' } },
  },
  {
    id: 'args-terminal-size',
    surface: 'API',
    input: 'terminal.open with 0 columns',
    message: 'cols: Too small: at least 1.',
    drive: { kind: 'call', method: 'terminal.open', args: { ...TERMINAL, cols: 0 } },
  },
  {
    id: 'args-unknown-key',
    surface: 'API',
    input: 'volumes.create with `{"name": "cache", "size": 10}`',
    message: 'arguments: Unknown key "size": not an argument of this method; leave it out.',
    drive: { kind: 'call', method: 'volumes.create', args: { name: 'bad-inputs-cache', size: 10 } },
  },
];

const settingsOverApi: BadInput[] = [
  {
    id: 'settings-cpus-range',
    surface: 'API',
    input: 'settings.set `vm.cpus` = `0`',
    message: 'vm.cpus must be a whole number from 1 to {maxCpus}; it is 0.',
    drive: { kind: 'call', method: 'settings.set', args: { key: 'vm.cpus', value: 0 } },
  },
  {
    id: 'settings-unknown-key',
    surface: 'API',
    input: 'settings.set `vm.memory` = `2048`',
    message: 'Unknown setting vm.memory; did you mean vm.memoryMiB?',
    drive: { kind: 'call', method: 'settings.set', args: { key: 'vm.memory', value: 2048 } },
  },
  {
    id: 'settings-not-boolean',
    surface: 'API',
    input: 'settings.set `vm.startOnLaunch` = `"yes"`',
    message: 'vm.startOnLaunch must be true or false; it is "yes".',
    drive: { kind: 'call', method: 'settings.set', args: { key: 'vm.startOnLaunch', value: 'yes' } },
  },
  {
    id: 'settings-relative-folder',
    surface: 'API',
    input: 'settings.set `vm.sharedFolders` = `["projects"]`',
    message: 'vm.sharedFolders (item 1): A shared folder must be an absolute path.',
    drive: { kind: 'call', method: 'settings.set', args: { key: 'vm.sharedFolders', value: ['projects'] } },
  },
];

const commandLine: BadInput[] = [
  {
    id: 'cli-unknown-command',
    surface: 'CLI',
    input: '`berth statsu`',
    message: 'Unknown command "statsu". Did you mean "berth status"? Commands: {commands}.',
    drive: { kind: 'cli', argv: ['statsu'], exit: 2 },
  },
  {
    id: 'cli-unknown-option',
    surface: 'CLI',
    input: '`berth start --wiat`',
    message: 'Unknown option --wiat for "berth start". Did you mean --wait?',
    drive: { kind: 'cli', argv: ['start', '--wiat'], exit: 2 },
  },
  {
    id: 'cli-timeout-range',
    surface: 'CLI',
    input: '`berth start --wait --timeout 0`',
    message: '--timeout must be a whole number of seconds from 1 to 86400, not "0".',
    drive: { kind: 'cli', argv: ['start', '--wait', '--timeout', '0'], exit: 2 },
  },
  {
    id: 'cli-too-many-arguments',
    surface: 'CLI',
    input: '`berth status now`',
    message: 'Too many arguments (now) for "berth status": it takes no arguments.',
    drive: { kind: 'cli', argv: ['status', 'now'], exit: 2 },
  },
  {
    id: 'cli-settings-subcommand',
    surface: 'CLI',
    input: '`berth settings sett vm.cpus 2`',
    message: 'Unknown settings command "sett". Did you mean "berth settings set"? Use: list, get KEY, set KEY VALUE.',
    drive: { kind: 'cli', argv: ['settings', 'sett', 'vm.cpus', '2'], exit: 2 },
  },
  {
    id: 'cli-settings-unknown-key',
    surface: 'CLI',
    input: '`berth settings get vm.cpu`',
    message: 'Unknown setting vm.cpu. Did you mean vm.cpus? Settings: {settingKeys}.',
    drive: { kind: 'cli', argv: ['settings', 'get', 'vm.cpu'], exit: 2 },
  },
  {
    id: 'cli-settings-cpus-range',
    surface: 'CLI',
    input: '`berth settings set vm.cpus 100000`',
    message: 'vm.cpus must be a whole number from 1 to {maxCpus}; it is 100000.',
    drive: { kind: 'cli', argv: ['settings', 'set', 'vm.cpus', '100000'], exit: 1 },
  },
  {
    id: 'cli-settings-memory-text',
    surface: 'CLI',
    input: '`berth settings set vm.memoryMiB lots`',
    message: 'vm.memoryMiB must be a whole number from 512 to {maxMemoryMiB}; it is "lots".',
    drive: { kind: 'cli', argv: ['settings', 'set', 'vm.memoryMiB', 'lots'], exit: 1 },
  },
  {
    id: 'cli-settings-rest-range',
    surface: 'CLI',
    input: '`berth settings set vm.restAfterMinutes 2000`',
    message: 'vm.restAfterMinutes must be a whole number from 0 to 1440; it is 2000.',
    drive: { kind: 'cli', argv: ['settings', 'set', 'vm.restAfterMinutes', '2000'], exit: 1 },
  },
  {
    id: 'cli-settings-dotdot-folder',
    surface: 'CLI',
    input: '`berth settings set vm.sharedFolders \'["/srv/../etc"]\'`',
    message: 'vm.sharedFolders (item 1): A shared folder path cannot contain "..".',
    drive: { kind: 'cli', argv: ['settings', 'set', 'vm.sharedFolders', '["/srv/../etc"]'], exit: 1 },
  },
  {
    id: 'settings-file-unknown-key',
    surface: 'CLI',
    input: 'settings file `{"vm.cpu": 2}`, then `berth settings list`',
    message: `{settingsFile} line 1: Unknown setting vm.cpu; did you mean vm.cpus? ${keepsLastGood}`,
    drive: { kind: 'settings-file', content: '{"vm.cpu": 2}\n' },
  },
  {
    id: 'settings-file-bad-json',
    surface: 'CLI',
    input: 'settings file with `"vm.cpus": 1,,` on line 2',
    message: `{settingsFile} line 2 is not valid JSON ({reason}). ${keepsLastGood}`,
    drive: { kind: 'settings-file', content: '{\n  "vm.cpus": 1,,\n}\n' },
  },
  {
    id: 'settings-file-not-object',
    surface: 'CLI',
    input: 'settings file `[2]`',
    message: `{settingsFile} must hold one JSON object of settings ({"vm.cpus": 2, …}). ${keepsLastGood}`,
    drive: { kind: 'settings-file', content: '[2]\n' },
  },
  {
    id: 'settings-file-disk-range',
    surface: 'CLI',
    input: 'settings file `"vm.diskGiB": 0` on line 3',
    message: `{settingsFile} line 3: vm.diskGiB must be a whole number from 1 to 16384; it is 0. ${keepsLastGood}`,
    drive: { kind: 'settings-file', content: '{\n  "vm.cpus": 1,\n  "vm.diskGiB": 0\n}\n' },
  },
];

/** Driven in Chromium by e2e/bad-input-catalogue.spec.ts, which has a step for each id. */
const userInterface: BadInput[] = [
  {
    id: 'ui-pull-uppercase',
    surface: 'UI',
    input: 'Images › Pull…: `Not/Valid`',
    message: 'Invalid image reference "Not/Valid": repository names must be lowercase.',
    drive: { kind: 'ui' },
  },
  {
    id: 'ui-run-host-port',
    surface: 'UI',
    input: 'Images › Run…: host port `99999`',
    message: 'Host port "99999" is not a port (a number from 1 to 65535).',
    drive: { kind: 'ui' },
  },
  {
    id: 'ui-run-name',
    surface: 'UI',
    input: 'Images › Run…: container name `-web`',
    message:
      'Invalid container name "-web": at least 2 characters, starting with a letter or digit, then letters, digits, "_", "." or "-".',
    drive: { kind: 'ui' },
  },
  {
    id: 'ui-volume-name',
    surface: 'UI',
    input: 'Volumes › Create: name `a`',
    message: 'A volume name needs at least 2 characters.',
    drive: { kind: 'ui' },
  },
  {
    id: 'ui-engine-address',
    surface: 'UI',
    input: 'Engine › Add engine: address `ftp://build-host`',
    message: '"ftp://build-host" is not an engine address: use ssh://user@host[:port] or tcp://host:port.',
    drive: { kind: 'ui' },
  },
  {
    id: 'ui-settings-cpus',
    surface: 'UI',
    input: 'Engine › VM settings: CPUs `256` (more than this computer has)',
    message: 'vm.cpus must be a whole number from 1 to {maxCpus}; it is 256.',
    drive: { kind: 'ui' },
  },
  {
    id: 'ui-settings-cpus-fraction',
    surface: 'UI',
    input: 'Engine › VM settings: CPUs `1.5`',
    message: 'CPUs must be a whole number.',
    drive: { kind: 'ui' },
  },
  {
    id: 'ui-settings-relative-folder',
    surface: 'UI',
    input: 'Engine › VM settings: shared folder `projects`',
    message: 'A shared folder must be an absolute path.',
    drive: { kind: 'ui' },
  },
];

export const BAD_INPUTS: readonly BadInput[] = [
  ...userInterface,
  ...imageReferences,
  ...runRequests,
  ...builds,
  ...containers,
  ...volumesNetworksPorts,
  ...composeAndEngines,
  ...argumentShapes,
  ...settingsOverApi,
  ...commandLine,
];
