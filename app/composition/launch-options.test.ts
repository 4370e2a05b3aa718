import { describe, expect, it } from 'vitest';
import { LaunchOptionsError, parseLaunchOptions, USAGE } from './launch-options.js';

describe('the start command options', () => {
  it('defaults to auto mode on the default engine (the VM unless DOCKER_HOST is set)', () => {
    expect(parseLaunchOptions([])).toEqual({ mode: 'auto', engine: null, vm: false, hostEngine: false, port: 0, help: false });
  });

  it('reads --web, --engine, --vm and --port', () => {
    expect(parseLaunchOptions(['--web', '--engine', 'unix:///tmp/d.sock', '--port', '8123'])).toMatchObject({
      mode: 'web',
      engine: 'unix:///tmp/d.sock',
      port: 8123,
    });
    expect(parseLaunchOptions(['--vm']).vm).toBe(true);
    expect(parseLaunchOptions(['--host-engine']).hostEngine).toBe(true);
  });

  it.each([
    [['--engine'], /--engine needs a value/],
    [['--port', 'eighty'], /--port must be 0-65535/],
    [['--port', '70000'], /--port must be 0-65535/],
    [['--vm', '--engine', 'unix:///x'], /--vm and --engine exclude each other/],
    [['--host-engine', '--vm'], /--vm and --host-engine exclude each other/],
    [['--turbo'], /Unknown option --turbo/],
  ])('refuses %j with a specific message', (argv, message) => {
    expect(() => parseLaunchOptions(argv)).toThrow(LaunchOptionsError);
    expect(() => parseLaunchOptions(argv)).toThrow(message);
  });

  it("skips what is not Berth's when asked (Electron's switches and entry script)", () => {
    const argv = ['--inspect=0', '/app/dist/app/electron-main.cjs', '--engine', 'unix:///tmp/d.sock'];
    expect(parseLaunchOptions(argv, { ignoreUnknown: true })).toMatchObject({ engine: 'unix:///tmp/d.sock', vm: false });
  });
});

describe('--headless', () => {
  it('is a mode of its own, with the engine options beside it', () => {
    expect(parseLaunchOptions(['--headless', '--engine', 'unix:///x.sock'])).toMatchObject({
      mode: 'headless',
      engine: 'unix:///x.sock',
    });
    expect(USAGE).toMatch(/--headless/);
  });
});
