/**
 * `berth settings list|get KEY|set KEY VALUE`: the settings file through the contract (settings.list,
 * settings.set), so the command checks values exactly as the UI and the file do. A value is read as
 * JSON when it is JSON (2, false, ["/srv"]), else as text.
 */
import type { SettingEntry, SettingsListing } from '../../contract/settings-contract.js';
import type { CommandSpec } from '../command.js';
import { didYouMean } from '../closest-name.js';
import { CliError, EXIT } from '../exit-codes.js';

const SUBCOMMANDS = ['list', 'get', 'set'] as const;
const ARGS_OF: Record<(typeof SUBCOMMANDS)[number], number> = { list: 1, get: 2, set: 3 };

export function parseSettingValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const show = (value: unknown) => JSON.stringify(value);

function findEntry(listing: SettingsListing, key: string): SettingEntry {
  const entry = listing.entries.find((candidate) => candidate.key === key);
  if (entry) return entry;
  const keys = listing.entries.map((candidate) => candidate.key);
  throw new CliError(EXIT.usage, `Unknown setting ${key}.${didYouMean(key, keys)} Settings: ${keys.join(', ')}.`);
}

function listingText(listing: SettingsListing): string {
  const width = Math.max(...listing.entries.map((entry) => entry.key.length));
  const lines = listing.entries.map((entry) => {
    const notes = [
      entry.applies === 'restart' ? 'applies at the VM’s next start' : null,
      entry.locked ? 'locked by your administrator' : null,
      show(entry.value) === show(entry.defaultValue) ? null : `default ${show(entry.defaultValue)}`,
    ].filter(Boolean);
    return `  ${entry.key.padEnd(width)}  ${show(entry.value)}${notes.length > 0 ? `  (${notes.join('; ')})` : ''}`;
  });
  return [
    `Settings file: ${listing.file}`,
    ...(listing.lockedFile ? [`Locked settings: ${listing.lockedFile}`] : []),
    ...(listing.problem ? [`Problem: ${listing.problem}`] : []),
    ...lines,
    ...(listing.needsRestart ? ['A changed value waits for the VM’s next start: berth restart'] : []),
  ].join('\n');
}

export const settingsCommand: CommandSpec = {
  name: 'settings',
  summary: 'lists, reads and changes settings (the same file and checks as the UI)',
  args: 'list | get KEY | set KEY VALUE',
  minArgs: 1,
  maxArgs: 3,
  details: [
    'VALUE is read as JSON when it is JSON (2, true, ["/srv/data"]), else as text.',
    'An unknown setting exits 2 with the closest name; a value Berth refuses exits 1 with the allowed range.',
    'Example: berth settings set vm.cpus 2',
  ].join('\n'),
  async run(context) {
    const [action, key, value] = context.args as [string, string | undefined, string | undefined];
    const sub = SUBCOMMANDS.find((name) => name === action);
    if (!sub) {
      const hint = didYouMean(action, SUBCOMMANDS, (name) => `"berth settings ${name}"`);
      throw new CliError(EXIT.usage, `Unknown settings command "${action}".${hint} Use: list, get KEY, set KEY VALUE.`);
    }
    if (context.args.length !== ARGS_OF[sub]) {
      const usage = { list: 'berth settings list', get: 'berth settings get KEY', set: 'berth settings set KEY VALUE' }[sub];
      throw new CliError(EXIT.usage, `Wrong number of arguments: ${usage}`);
    }
    const client = await context.connect();
    const listing = await client.settings.list({});
    if (sub === 'list') return context.result(listing, () => listingText(listing));
    const entry = findEntry(listing, key!);
    if (sub === 'get') return context.result(entry, () => show(entry.value));
    const answer = await client.settings.set({ key: entry.key, value: parseSettingValue(value!) });
    context.result(answer, () =>
      [
        `${answer.entry.key} = ${show(answer.entry.value)}`,
        ...(answer.needsRestart ? ['It applies at the VM’s next start: berth restart'] : []),
      ].join('\n'),
    );
  },
};
