/**
 * The engines Berth knows, each with its status, and switching: Berth's VM, this computer's engine,
 * and the ssh:// and tcp:// engines the user added. Every view follows the engine in use.
 */
import type { EngineEntry } from '../../../../app/contract/engines-contract';
import { useApi } from '../../api/api-context';
import { useEngineAction } from '../../components/use-engine-action';
import { AddEngineForm } from './AddEngineForm';
import { engineStatusText } from './engine-status-text';
import { useEngineList } from './use-engine-list';

function EngineRow({ engine }: { engine: EngineEntry }) {
  const api = useApi();
  const use = useEngineAction(() => api.engines.use({ id: engine.id }));
  const remove = useEngineAction(() => api.engines.remove({ id: engine.id }));
  const check = useEngineAction(() => api.engines.check({ id: engine.id }));
  return (
    <li
      className={`engine-row${engine.active ? ' active' : ''}`}
      aria-label={engine.name}
      aria-current={engine.active ? 'true' : undefined}
    >
      <div className="engine-row-text">
        <strong>{engine.name}</strong> <code>{engine.address}</code>
        {engine.active ? <span className="engine-in-use"> In use</span> : null}
        <div className={`engine-status ${engine.status.kind}`} role="status">
          {engineStatusText(engine.status)}
        </div>
      </div>
      <div className="button-row">
        {engine.active ? null : (
          <button type="button" aria-label={`Use ${engine.name}`} disabled={use.isPending} onClick={() => use.mutate(undefined)}>
            Use
          </button>
        )}
        {engine.active ? null : (
          <button
            type="button"
            aria-label={`Check ${engine.name} again`}
            disabled={check.isPending}
            onClick={() => check.mutate(undefined)}
          >
            Check again
          </button>
        )}
        {engine.removable && !engine.active ? (
          <button
            type="button"
            aria-label={`Remove ${engine.name}`}
            disabled={remove.isPending}
            onClick={() => remove.mutate(undefined)}
          >
            Remove
          </button>
        ) : null}
      </div>
    </li>
  );
}

export function EngineList() {
  const list = useEngineList();
  return (
    <section aria-labelledby="engine-list-heading">
      <h2 id="engine-list-heading">Engines</h2>
      {list ? (
        <ul className="engine-list" aria-label="Engines">
          {list.engines.map((engine) => (
            <EngineRow key={engine.id} engine={engine} />
          ))}
        </ul>
      ) : (
        <p className="muted">Asking Berth for its engines…</p>
      )}
      <AddEngineForm />
    </section>
  );
}
