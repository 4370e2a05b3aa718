import { describe, expect, it } from 'vitest';
import { emptyRunForm, newPortRow, newVolumeRow, toRunRequest } from './run-form';
import { appendBuildItem, applyRunItem, EMPTY_BUILD_LOG, EMPTY_RUN } from './transfer-task';

describe('toRunRequest', () => {
  it('turns rows and lines into the request, skipping blank ones', () => {
    const form = {
      ...emptyRunForm(' busybox '),
      name: ' web ',
      command: 'httpd -f',
      env: 'A=1\n\nB=2\n',
      ports: [
        { ...newPortRow(), hostPort: '8080', containerPort: '80' },
        { ...newPortRow(), containerPort: '53', protocol: 'udp' as const },
        newPortRow(),
      ],
      volumes: [{ ...newVolumeRow(), source: 'data', target: '/data', readOnly: true }, newVolumeRow()],
    };
    expect(toRunRequest(form)).toEqual({
      request: {
        image: 'busybox',
        name: 'web',
        command: 'httpd -f',
        env: ['A=1', 'B=2'],
        ports: [
          { hostPort: 8080, containerPort: 80, protocol: 'tcp' },
          { hostPort: null, containerPort: 53, protocol: 'udp' },
        ],
        volumes: [{ source: 'data', target: '/data', readOnly: true }],
        restart: 'no',
        autoRemove: false,
        interactive: false,
      },
    });
  });

  it('passes a platform only when one is typed', () => {
    const withPlatform = toRunRequest({ ...emptyRunForm('busybox'), platform: ' linux/arm64 ' });
    expect('request' in withPlatform && withPlatform.request.platform).toBe('linux/arm64');
    const without = toRunRequest(emptyRunForm('busybox'));
    expect('request' in without && 'platform' in without.request).toBe(false);
  });

  it('says which number is not a port', () => {
    const form = { ...emptyRunForm('busybox'), ports: [{ ...newPortRow(), hostPort: '80a', containerPort: '80' }] };
    expect(toRunRequest(form)).toEqual({ problem: 'Host port "80a" is not a port (a number from 1 to 65535).' });
    const missing = { ...emptyRunForm('busybox'), ports: [{ ...newPortRow(), hostPort: '8080' }] };
    expect(toRunRequest(missing)).toEqual({ problem: 'Container port "" is not a port (a number from 1 to 65535).' });
    const half = { ...emptyRunForm('busybox'), volumes: [{ ...newVolumeRow(), source: 'data' }] };
    expect(toRunRequest(half)).toEqual({ problem: 'The volume data needs a container path.' });
  });
});

describe('stream reducers', () => {
  it('accumulates a build log and keeps the result', () => {
    let log = appendBuildItem(EMPTY_BUILD_LOG, { kind: 'log', text: 'Step 1/1 : FROM x\n' });
    log = appendBuildItem(log, { kind: 'done', imageId: 'sha256:abc', tags: ['x:1'] });
    expect(log).toEqual({ text: 'Step 1/1 : FROM x\n', imageId: 'sha256:abc', tags: ['x:1'] });
  });

  it('follows a run from pull to start', () => {
    const progress = { reference: 'x:1', layers: [], overall: { fraction: 1, current: 0, total: 0 }, message: null, done: true };
    let state = applyRunItem(EMPTY_RUN, { kind: 'pulling', progress });
    state = applyRunItem(state, { kind: 'created', containerId: 'c1', name: 'web' });
    expect(state).toEqual({ pull: progress, container: { id: 'c1', name: 'web' }, started: false });
    expect(applyRunItem(state, { kind: 'started', containerId: 'c1', name: 'web' }).started).toBe(true);
  });
});
