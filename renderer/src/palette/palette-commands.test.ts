import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../engine/core/engine-types';
import { rankByFuzzyMatch } from './fuzzy-match';
import { buildPaletteCommands } from './palette-commands';

const container = (name: string, state: ContainerSummary['state']): ContainerSummary => ({
  id: `${name}-id`.padEnd(64, '0'),
  name,
  image: 'nginx:alpine',
  imageId: 'sha256:abc',
  command: 'nginx',
  state,
  status: state,
  ports: [],
  created: 0,
  composeProject: null,
  composeService: null,
});

const labels = (input: Parameters<typeof buildPaletteCommands>[0]) => buildPaletteCommands(input).map((command) => command.label);

describe('buildPaletteCommands', () => {
  it('offers every view, the image dialogs, and nothing for containers not known yet', () => {
    expect(labels({ containers: undefined, vmState: null })).toEqual([
      'Go to Containers',
      'Go to Logs',
      'Go to Images',
      'Go to Volumes',
      'Go to Networks',
      'Go to Disk usage',
      'Go to Engine',
      'Open logs',
      'Pull an image…',
      'Run an image…',
      'Build an image…',
    ]);
  });

  it("offers a running container's actions as its own buttons do: Stop, Restart, Terminal, its tabs, Remove", () => {
    const commands = buildPaletteCommands({ containers: [container('web', 'running')], vmState: null }).slice(11);
    expect(commands.map((command) => command.label)).toEqual([
      'Stop web',
      'Restart web',
      'Open terminal in web',
      'Show logs of web',
      'Inspect web',
      'Show stats of web',
      'Browse files of web',
      'Remove web…',
    ]);
    expect(commands[0]!.action).toEqual({ kind: 'container', action: 'stop', id: container('web', 'running').id, name: 'web' });
    expect(commands[3]!.action).toEqual({ kind: 'navigate', route: { kind: 'container', ref: 'web', tab: 'logs' } });
    expect(commands[0]!.hint).toBe('running · nginx:alpine');
    expect(new Set(commands.map((command) => command.id)).size).toBe(commands.length);
  });

  it('offers Start and no terminal for a stopped container, Stop for a paused one', () => {
    const stopped = labels({ containers: [container('db', 'exited')], vmState: null }).slice(11);
    expect(stopped).toContain('Start db');
    expect(stopped).not.toContain('Stop db');
    expect(stopped).not.toContain('Open terminal in db');
    expect(labels({ containers: [container('cache', 'paused')], vmState: null })).toContain('Stop cache');
  });

  it('lists containers by name after the general commands', () => {
    const all = labels({ containers: [container('zeta', 'exited'), container('alpha', 'exited')], vmState: null });
    expect(all.indexOf('Start alpha')).toBeGreaterThan(all.indexOf('Build an image…'));
    expect(all.indexOf('Start alpha')).toBeLessThan(all.indexOf('Start zeta'));
  });

  it("offers the VM's controls that fit its state, and none for an engine Berth does not manage", () => {
    expect(labels({ containers: [], vmState: 'stopped' }).slice(11)).toEqual(['Start the VM']);
    expect(labels({ containers: [], vmState: 'error' }).slice(11)).toEqual(['Start the VM']);
    expect(labels({ containers: [], vmState: 'running' }).slice(11)).toEqual(['Stop the VM', 'Restart the VM']);
    expect(labels({ containers: [], vmState: 'starting' }).slice(11)).toEqual(['Stop the VM']);
    expect(labels({ containers: [], vmState: 'stopping' }).slice(11)).toEqual([]);
  });

  it('finds a container action by part of its name, best first', () => {
    const commands = buildPaletteCommands({
      containers: [container('web-frontend', 'running'), container('db', 'running')],
      vmState: 'running',
    });
    const found = rankByFuzzyMatch(commands, 'stop front', (command) => command.label).matches.map((match) => match.item.label);
    expect(found[0]).toBe('Stop web-frontend');
    expect(found).not.toContain('Stop db');
    expect(rankByFuzzyMatch(commands, 'qqq', (command) => command.label).total).toBe(0);
  });
});
