/**
 * The Run dialog's fields as typed (strings, rows) and their conversion to the API's request. Numbers
 * are checked here because an input's text is not a port; every other rule is the app's, which names
 * the field and value at fault.
 */
import type { RunRequestInput } from '../../../../app/contract/image-contract';

export type Protocol = 'tcp' | 'udp' | 'sctp';
export type RestartPolicy = RunRequestInput['restart'];

export interface PortRow {
  key: number;
  hostPort: string;
  containerPort: string;
  protocol: Protocol;
}

export interface VolumeRow {
  key: number;
  source: string;
  target: string;
  readOnly: boolean;
}

export interface RunForm {
  image: string;
  name: string;
  command: string;
  /** KEY=value, one per line. */
  env: string;
  ports: PortRow[];
  volumes: VolumeRow[];
  restart: RestartPolicy;
  autoRemove: boolean;
  interactive: boolean;
  /** "os/arch[/variant]", or empty for the engine's own. */
  platform: string;
}

let nextRowKey = 1;
export const newPortRow = (): PortRow => ({ key: nextRowKey++, hostPort: '', containerPort: '', protocol: 'tcp' });
export const newVolumeRow = (): VolumeRow => ({ key: nextRowKey++, source: '', target: '', readOnly: false });

export function emptyRunForm(image: string): RunForm {
  return {
    image,
    name: '',
    command: '',
    env: '',
    ports: [],
    volumes: [],
    restart: 'no',
    autoRemove: false,
    interactive: false,
    platform: '',
  };
}

function parsePort(text: string, what: string): number | string {
  const trimmed = text.trim();
  const port = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || port < 1 || port > 65_535)
    return `${what} "${trimmed}" is not a port (a number from 1 to 65535).`;
  return port;
}

export function toRunRequest(form: RunForm): { request: RunRequestInput } | { problem: string } {
  const ports: RunRequestInput['ports'] = [];
  for (const row of form.ports) {
    if (row.hostPort.trim() === '' && row.containerPort.trim() === '') continue;
    const containerPort = parsePort(row.containerPort, 'Container port');
    if (typeof containerPort === 'string') return { problem: containerPort };
    let hostPort: number | null = null;
    if (row.hostPort.trim() !== '') {
      const parsed = parsePort(row.hostPort, 'Host port');
      if (typeof parsed === 'string') return { problem: parsed };
      hostPort = parsed;
    }
    ports.push({ hostPort, containerPort, protocol: row.protocol });
  }
  const volumes: RunRequestInput['volumes'] = [];
  for (const row of form.volumes) {
    if (row.source.trim() === '' && row.target.trim() === '') continue;
    if (row.source.trim() === '')
      return { problem: `The volume for ${row.target.trim()} needs a source: a volume name or a host path.` };
    if (row.target.trim() === '') return { problem: `The volume ${row.source.trim()} needs a container path.` };
    volumes.push({ source: row.source.trim(), target: row.target.trim(), readOnly: row.readOnly });
  }
  const request: RunRequestInput = {
    image: form.image.trim(),
    env: form.env.split('\n').filter((line) => line.trim() !== ''),
    ports,
    volumes,
    restart: form.restart,
    autoRemove: form.autoRemove,
    interactive: form.interactive,
  };
  if (form.name.trim()) request.name = form.name.trim();
  if (form.command.trim()) request.command = form.command.trim();
  if (form.platform.trim()) request.platform = form.platform.trim();
  return { request };
}
