import { describe, expect, it } from 'vitest';
import type { RunRequest } from './image-types.js';
import { planRun, portInUse, splitCommandLine, validateEnvLine } from './run-request.js';

const request = (overrides: Partial<RunRequest> = {}): RunRequest => ({
  image: 'busybox',
  env: [],
  ports: [],
  volumes: [],
  restart: 'no',
  autoRemove: false,
  interactive: false,
  ...overrides,
});

describe('splitCommandLine', () => {
  it('splits words with quotes and backslashes as a shell would', () => {
    expect(splitCommandLine('sh -c "echo hello > /tmp/index.html && httpd -f"')).toEqual([
      'sh',
      '-c',
      'echo hello > /tmp/index.html && httpd -f',
    ]);
    expect(splitCommandLine(`echo 'a  b' c\\ d "x\\"y" ''`)).toEqual(['echo', 'a  b', 'c d', 'x"y', '']);
    expect(splitCommandLine('  sleep   10  ')).toEqual(['sleep', '10']);
  });

  it('refuses an unclosed quote', () => {
    expect(() => splitCommandLine('echo "oops')).toThrow('The command has an unclosed double quote.');
  });
});

describe('validateEnvLine', () => {
  it('wants KEY=value', () => {
    expect(() => validateEnvLine('A=1')).not.toThrow();
    expect(() => validateEnvLine('EMPTY=')).not.toThrow();
    expect(() => validateEnvLine('NOVALUE')).toThrow('Invalid environment variable "NOVALUE": write it as KEY=value.');
    expect(() => validateEnvLine('=x')).toThrow(/write it as KEY=value/);
    expect(() => validateEnvLine('MY KEY=x')).toThrow(/write it as KEY=value/);
  });
});

describe('planRun', () => {
  it('turns the dialog into create options', () => {
    const plan = planRun(
      request({
        name: 'web',
        command: 'httpd -f -p 80',
        env: ['A=1', '  ', 'B=two words'],
        ports: [
          { hostPort: 8080, containerPort: 80, protocol: 'tcp' },
          { hostPort: null, containerPort: 53, protocol: 'udp' },
        ],
        volumes: [
          { source: 'data', target: '/data', readOnly: false },
          { source: '/srv/site', target: '/www', readOnly: true },
        ],
        restart: 'unless-stopped',
        interactive: true,
      }),
    );
    expect(plan.name).toBe('web');
    expect(plan.options).toMatchObject({
      name: 'web',
      Image: 'busybox',
      Cmd: ['httpd', '-f', '-p', '80'],
      Env: ['A=1', 'B=two words'],
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Tty: true,
      OpenStdin: true,
      HostConfig: {
        PortBindings: { '80/tcp': [{ HostPort: '8080' }], '53/udp': [{ HostPort: '' }] },
        Mounts: [
          { Type: 'volume', Source: 'data', Target: '/data', ReadOnly: false },
          { Type: 'bind', Source: '/srv/site', Target: '/www', ReadOnly: true },
        ],
        RestartPolicy: { Name: 'unless-stopped' },
        AutoRemove: false,
      },
    });
  });

  it("leaves out a command to keep the image's", () => {
    expect(planRun(request({ command: '  ' })).options.Cmd).toBeUndefined();
    expect(planRun(request()).options.name).toBeUndefined();
  });

  it('says which field is wrong', () => {
    expect(() => planRun(request({ image: 'Bad Image' }))).toThrow(/Invalid image reference/);
    expect(() => planRun(request({ name: '-web' }))).toThrow(/Invalid container name "-web"/);
    expect(() => planRun(request({ env: ['OK=1', 'oops'] }))).toThrow(
      'Invalid environment variable "oops": write it as KEY=value.',
    );
    expect(() =>
      planRun(
        request({
          ports: [
            { hostPort: 8080, containerPort: 80, protocol: 'tcp' },
            { hostPort: 8080, containerPort: 81, protocol: 'tcp' },
          ],
        }),
      ),
    ).toThrow('Host port 8080/tcp is published twice.');
    expect(() => planRun(request({ volumes: [{ source: 'data', target: 'data', readOnly: false }] }))).toThrow(
      /must be absolute/,
    );
    expect(() => planRun(request({ volumes: [{ source: './site', target: '/www', readOnly: false }] }))).toThrow(
      /must be a volume name or an absolute host path/,
    );
    expect(() => planRun(request({ autoRemove: true, restart: 'always' }))).toThrow(/Auto-remove cannot be combined/);
  });
});

describe('portInUse', () => {
  it("reads the port from the engine's messages", () => {
    expect(
      portInUse(
        'driver failed programming external connectivity on endpoint web (abc): Bind for 0.0.0.0:8080 failed: port is already allocated',
      ),
    ).toBe('8080');
    expect(portInUse('Error starting userland proxy: listen tcp4 0.0.0.0:9090: bind: address already in use')).toBe('9090');
    expect(portInUse('something else')).toBeNull();
  });
});
