import { useNavigation, viewOf, VIEW_LABELS, VIEW_NAMES } from '../navigation';

/** The views. An entry always leads to its list: Containers leaves an open container detail. */
export function Sidebar() {
  const current = useNavigation((state) => viewOf(state.route));
  const navigate = useNavigation((state) => state.navigate);
  return (
    <nav className="sidebar" aria-label="Views">
      <div className="brand" aria-hidden="true">
        ⚓ Berth
      </div>
      <ul>
        {VIEW_NAMES.map((view) => (
          <li key={view}>
            <button
              type="button"
              className="nav-button"
              aria-current={current === view ? 'page' : undefined}
              onClick={() => navigate({ kind: 'view', view })}
            >
              {VIEW_LABELS[view]}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
