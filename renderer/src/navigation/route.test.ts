import { describe, expect, it } from 'vitest';
import { parseHash, routeToHash, sameRoute, viewOf, type Route } from './route';

describe('routeToHash and parseHash', () => {
  const routes: Route[] = [
    { kind: 'view', view: 'containers' },
    { kind: 'view', view: 'logs' },
    { kind: 'view', view: 'images' },
    { kind: 'view', view: 'volumes' },
    { kind: 'view', view: 'networks' },
    { kind: 'view', view: 'disk' },
    { kind: 'view', view: 'engine' },
    { kind: 'container', ref: 'web-1', tab: 'logs' },
    { kind: 'container', ref: 'my_app.db', tab: 'files' },
    { kind: 'container', ref: 'a b/c#d', tab: 'stats' },
  ];

  it.each(routes.map((route) => [routeToHash(route), route] as const))(
    '%s reads back as the route it was written from',
    (hash, route) => {
      expect(parseHash(hash)).toEqual({ route, problem: null, rewritten: false });
    },
  );

  it('writes readable addresses, escaping what a name could hold', () => {
    expect(routeToHash({ kind: 'view', view: 'images' })).toBe('#/images');
    expect(routeToHash({ kind: 'container', ref: 'web', tab: 'inspect' })).toBe('#/containers/web/inspect');
    expect(routeToHash({ kind: 'container', ref: 'a b/c', tab: 'logs' })).toBe('#/containers/a%20b%2Fc/logs');
  });

  it('takes an empty address, a bare slash and the door token as home, with no note', () => {
    for (const hash of ['', '#', '#/', '#token=abc123']) {
      expect(parseHash(hash)).toEqual({ route: { kind: 'view', view: 'containers' }, problem: null, rewritten: true });
    }
  });

  it('shows a container without a tab on its logs, and forgives case and stray slashes', () => {
    expect(parseHash('#/containers/web')).toEqual({
      route: { kind: 'container', ref: 'web', tab: 'logs' },
      problem: null,
      rewritten: true,
    });
    expect(parseHash('#/Images/')).toEqual({ route: { kind: 'view', view: 'images' }, problem: null, rewritten: true });
    expect(parseHash('#containers/web/STATS').route).toEqual({ kind: 'container', ref: 'web', tab: 'stats' });
  });

  it('leads an unknown address home and says which address it was', () => {
    for (const hash of [
      '#/nowhere',
      '#/images/ubuntu',
      '#/containers/web/logs/more',
      '#/containers/%E0%A4%A',
      '#/containers/ ',
    ]) {
      const parsed = parseHash(hash);
      expect(parsed.route).toEqual({ kind: 'view', view: 'containers' });
      expect(parsed.problem).toBe(`Berth has no page at ${hash}: showing the containers.`);
    }
  });

  it('keeps the container of an address with an unknown tab and names the tabs there are', () => {
    expect(parseHash('#/containers/web/shell')).toEqual({
      route: { kind: 'container', ref: 'web', tab: 'logs' },
      problem: 'A container has no tab "shell" (there are logs, inspect, stats, files): showing its logs.',
      rewritten: true,
    });
  });
});

describe('sameRoute and viewOf', () => {
  it('compares routes by their address', () => {
    expect(sameRoute({ kind: 'container', ref: 'web', tab: 'logs' }, { kind: 'container', ref: 'web', tab: 'logs' })).toBe(true);
    expect(sameRoute({ kind: 'container', ref: 'web', tab: 'logs' }, { kind: 'container', ref: 'web', tab: 'stats' })).toBe(
      false,
    );
    expect(sameRoute({ kind: 'view', view: 'images' }, { kind: 'view', view: 'volumes' })).toBe(false);
  });

  it('puts a container detail under Containers in the sidebar', () => {
    expect(viewOf({ kind: 'container', ref: 'web', tab: 'files' })).toBe('containers');
    expect(viewOf({ kind: 'view', view: 'disk' })).toBe('disk');
  });
});
