import { useViewStore, type ViewName } from './view-store';

const VIEWS: Array<{ view: ViewName; label: string }> = [
  { view: 'containers', label: 'Containers' },
  { view: 'images', label: 'Images' },
  { view: 'volumes', label: 'Volumes' },
  { view: 'networks', label: 'Networks' },
  { view: 'disk', label: 'Disk usage' },
  { view: 'engine', label: 'Engine' },
];

export function Sidebar() {
  const current = useViewStore((state) => state.view);
  const showView = useViewStore((state) => state.showView);
  return (
    <nav className="sidebar" aria-label="Views">
      <div className="brand" aria-hidden="true">
        ⚓ Berth
      </div>
      <ul>
        {VIEWS.map(({ view, label }) => (
          <li key={view}>
            <button
              type="button"
              className="nav-button"
              aria-current={current === view ? 'page' : undefined}
              onClick={() => showView(view)}
            >
              {label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
