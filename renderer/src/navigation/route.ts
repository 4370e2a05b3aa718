/**
 * Berth's addresses: every view, every container's detail and its tab, as a hash route
 * (`#/images`, `#/containers/web/logs`). Hash routes work the same in Electron's berth:// page and in
 * browser mode, and never reach a server. Pure: parsing and writing only; navigation-store.ts owns
 * the browser's history.
 */

export const VIEW_NAMES = ['containers', 'logs', 'images', 'volumes', 'networks', 'disk', 'engine'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** The views' names as the sidebar and the palette show them. */
export const VIEW_LABELS: Record<ViewName, string> = {
  containers: 'Containers',
  logs: 'Logs',
  images: 'Images',
  volumes: 'Volumes',
  networks: 'Networks',
  disk: 'Disk usage',
  engine: 'Engine',
};

export const DETAIL_TABS = ['logs', 'inspect', 'stats', 'files'] as const;
export type DetailTab = (typeof DETAIL_TABS)[number];

/**
 * A place in Berth. A container is named by what the address holds (`ref`): its name as Berth writes
 * it, or an id (or id prefix) someone typed; the containers view resolves it against the list.
 */
export type Route = { kind: 'view'; view: ViewName } | { kind: 'container'; ref: string; tab: DetailTab };

export const HOME: Route = { kind: 'view', view: 'containers' };

export interface ParsedAddress {
  route: Route;
  /** Why the address was not taken as written, for a note to the person; null when it was. */
  problem: string | null;
  /** The address differs from the route's own (say `#/containers/web` for `#/containers/web/logs`). */
  rewritten: boolean;
}

const isView = (name: string): name is ViewName => (VIEW_NAMES as readonly string[]).includes(name);
const isTab = (name: string): name is DetailTab => (DETAIL_TABS as readonly string[]).includes(name);

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** `#/containers/web/logs` for a route: the address Berth writes and shows. */
export function routeToHash(route: Route): string {
  if (route.kind === 'view') return `#/${route.view}`;
  return `#/containers/${encodeURIComponent(route.ref)}/${route.tab}`;
}

/**
 * The route of a `location.hash`. An empty hash is home (the containers list). An address Berth does
 * not know leads home with a problem saying so; a container address with an unknown tab keeps the
 * container and shows its logs. The browser-mode door's `#token=…` is not an address: it leads home
 * quietly (and is rewritten away, so the token leaves the address bar).
 */
export function parseHash(hash: string): ParsedAddress {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const ok = (route: Route): ParsedAddress => ({ route, problem: null, rewritten: routeToHash(route) !== `#${raw}` });
  const home = (problem: string | null): ParsedAddress => ({ route: HOME, problem, rewritten: true });
  if (raw === '' || raw === '/' || raw.startsWith('token=')) return home(null);

  const segments = raw.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  const [first, second, third, ...rest] = segments.map(decode);
  const unknown = () => home(`Berth has no page at #${raw}: showing the containers.`);
  if (first === null || first === undefined || second === null || third === null || rest.some((part) => part === null)) {
    return unknown();
  }
  const view = first.toLowerCase();
  if (!isView(view)) return unknown();
  if (second === undefined) return ok({ kind: 'view', view });
  if (view !== 'containers' || rest.length > 0 || second.trim() === '') return unknown();

  if (third === undefined) return ok({ kind: 'container', ref: second, tab: 'logs' });
  const tab = third.toLowerCase();
  if (isTab(tab)) return ok({ kind: 'container', ref: second, tab });
  return {
    route: { kind: 'container', ref: second, tab: 'logs' },
    problem: `A container has no tab "${third}" (there are ${DETAIL_TABS.join(', ')}): showing its logs.`,
    rewritten: true,
  };
}

export function sameRoute(a: Route, b: Route): boolean {
  return routeToHash(a) === routeToHash(b);
}

/** The sidebar's entry a route belongs to: a container's detail is under Containers. */
export function viewOf(route: Route): ViewName {
  return route.kind === 'view' ? route.view : 'containers';
}
