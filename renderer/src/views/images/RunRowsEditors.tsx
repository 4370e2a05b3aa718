/** The Run dialog's repeated rows: published ports and volumes, each with Add and Remove. */
import { newPortRow, newVolumeRow, type PortRow, type Protocol, type VolumeRow } from './run-form';

export function PortsEditor({
  rows,
  onChange,
  disabled,
}: {
  rows: PortRow[];
  onChange: (rows: PortRow[]) => void;
  disabled: boolean;
}) {
  const update = (key: number, change: Partial<PortRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  return (
    <fieldset className="rows-editor" disabled={disabled}>
      <legend>Published ports</legend>
      {rows.map((row, index) => (
        <div key={row.key} className="editor-row" role="group" aria-label={`Port ${index + 1}`}>
          <label>
            <span>Host port</span>
            <input
              inputMode="numeric"
              value={row.hostPort}
              onChange={(event) => update(row.key, { hostPort: event.target.value })}
              placeholder="(any free)"
            />
          </label>
          <label>
            <span>Container port</span>
            <input
              inputMode="numeric"
              value={row.containerPort}
              onChange={(event) => update(row.key, { containerPort: event.target.value })}
            />
          </label>
          <label>
            <span>Protocol</span>
            <select value={row.protocol} onChange={(event) => update(row.key, { protocol: event.target.value as Protocol })}>
              <option value="tcp">TCP</option>
              <option value="udp">UDP</option>
              <option value="sctp">SCTP</option>
            </select>
          </label>
          <button
            type="button"
            onClick={() => onChange(rows.filter((other) => other.key !== row.key))}
            aria-label={`Remove port ${index + 1}`}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, newPortRow()])}>
        Add port
      </button>
    </fieldset>
  );
}

export function VolumesEditor({
  rows,
  onChange,
  disabled,
}: {
  rows: VolumeRow[];
  onChange: (rows: VolumeRow[]) => void;
  disabled: boolean;
}) {
  const update = (key: number, change: Partial<VolumeRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  return (
    <fieldset className="rows-editor" disabled={disabled}>
      <legend>Volumes</legend>
      {rows.map((row, index) => (
        <div key={row.key} className="editor-row" role="group" aria-label={`Volume ${index + 1}`}>
          <label>
            <span>Source</span>
            <input
              value={row.source}
              onChange={(event) => update(row.key, { source: event.target.value })}
              placeholder="volume name or /host/path"
              spellCheck={false}
            />
          </label>
          <label>
            <span>Container path</span>
            <input
              value={row.target}
              onChange={(event) => update(row.key, { target: event.target.value })}
              placeholder="/data"
              spellCheck={false}
            />
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={row.readOnly}
              onChange={(event) => update(row.key, { readOnly: event.target.checked })}
            />
            Read-only
          </label>
          <button
            type="button"
            onClick={() => onChange(rows.filter((other) => other.key !== row.key))}
            aria-label={`Remove volume ${index + 1}`}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, newVolumeRow()])}>
        Add volume
      </button>
    </fieldset>
  );
}
