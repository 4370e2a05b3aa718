/**
 * What the Engine view says about docker compose and buildx for the person's own docker CLI, as
 * sentences (read as text, not hidden in a tooltip): what Berth put in their plugin folder, which of
 * their own it kept, and what failed and why.
 */
import type { CliPlugins } from '../../../../app/contract/machine-contract';

type Plugin = CliPlugins['plugins'][number];

/** Debian's "2.26.1-4" and "0.13.1+ds1-3" as the upstream versions people know: 2.26.1, 0.13.1. */
export function upstreamVersion(version: string): string {
  return version
    .replace(/^\d+:/, '')
    .replace(/\+[^-]*/, '')
    .replace(/-[^-]+$/, '');
}

const named = (plugin: Plugin, upstream: boolean) =>
  `docker ${plugin.command}${plugin.version ? ` ${upstream ? upstreamVersion(plugin.version) : plugin.version}` : ''}`;

/** "a", "a and b", "a, b and c". */
function joined(words: string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

export function cliPluginLines(cliPlugins: CliPlugins | null): string[] {
  if (!cliPlugins) return [];
  if (cliPlugins.note) return [cliPlugins.note];
  const { folder, plugins } = cliPlugins;
  const lines: string[] = [];
  const ours = plugins.filter((plugin) => plugin.status === 'installed' || plugin.status === 'current');
  const updated = plugins.filter((plugin) => plugin.status === 'updated');
  if (ours.length > 0)
    lines.push(`${joined(ours.map((plugin) => named(plugin, true)))} installed for your docker CLI in ${folder}.`);
  if (updated.length > 0)
    lines.push(`${joined(updated.map((plugin) => named(plugin, true)))} updated for your docker CLI in ${folder}.`);
  for (const plugin of plugins.filter((each) => each.status === 'kept')) {
    lines.push(`Kept your own ${named(plugin, false)} (${plugin.path}).`);
  }
  for (const plugin of plugins.filter((each) => each.status === 'failed')) {
    lines.push(`Could not install docker ${plugin.command} in ${folder}: ${plugin.reason ?? 'unknown reason'}.`);
  }
  return lines;
}
