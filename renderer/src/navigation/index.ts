/** Navigation: Berth's addresses (hash routes) and the history behind Back and Forward. */
export {
  DETAIL_TABS,
  HOME,
  VIEW_LABELS,
  VIEW_NAMES,
  parseHash,
  routeToHash,
  sameRoute,
  viewOf,
  type DetailTab,
  type Route,
  type ViewName,
} from './route';
export { startNavigation, useNavigation, windowHistory, type HistoryPort } from './navigation-store';
export { navigationButtonOf, navigationKeyOf, type NavigationKey } from './navigation-keys';
