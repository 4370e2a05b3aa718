/**
 * vm/'s report on the docker CLI plugins, as the contract carries it: the command a person types
 * (compose, not docker-compose) and paths under the home folder written with `~`, as they would type them.
 */
import path from 'node:path';
import type { CliPluginsReport } from '../../vm/host/cli-plugins.js';
import type { CliPlugins } from '../contract/machine-contract.js';

export function cliPluginsView(report: CliPluginsReport | null, home: string): CliPlugins | null {
  if (!report) return null;
  const shown = (file: string) => (home && file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file);
  return {
    folder: shown(report.folder),
    note: report.note,
    plugins: report.plugins.map((outcome) => ({
      command: outcome.plugin.replace(/^docker-/, ''),
      status: outcome.status,
      version: outcome.version,
      path: shown(outcome.path),
      reason: outcome.status === 'failed' ? outcome.reason : null,
    })),
  };
}
