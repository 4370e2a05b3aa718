import { describe, expect, it } from 'vitest';
import { composeFailureMessage, parseComposeLine } from './compose-progress.js';

describe('parseComposeLine', () => {
  it.each([
    [' Network shop_default  Creating', { kind: 'step', object: 'Network', name: 'shop_default', status: 'Creating' }],
    [' Container shop-web-1  Started', { kind: 'step', object: 'Container', name: 'shop-web-1', status: 'Started' }],
    ['Container shop-db-1  Waiting\r', { kind: 'step', object: 'Container', name: 'shop-db-1', status: 'Waiting' }],
    [' Volume "shop_data"  Created', { kind: 'step', object: 'Volume', name: '"shop_data"', status: 'Created' }],
    [
      '\u001b[32m Container shop-web-1  Healthy\u001b[0m',
      { kind: 'step', object: 'Container', name: 'shop-web-1', status: 'Healthy' },
    ],
  ])('reads the step in %j', (raw, item) => {
    expect(parseComposeLine(raw)).toEqual(item);
  });

  it("keeps compose's other lines as written, and skips blank ones", () => {
    expect(parseComposeLine('yaml: line 3: mapping values are not allowed in this context')).toEqual({
      kind: 'line',
      text: 'yaml: line 3: mapping values are not allowed in this context',
    });
    expect(parseComposeLine('Containers are good')).toEqual({ kind: 'line', text: 'Containers are good' });
    expect(parseComposeLine('   \r')).toBeNull();
  });
});

describe('composeFailureMessage', () => {
  it("is compose's last lines, else the exit status", () => {
    expect(composeFailureMessage(['warning: x', 'no such service: api'], 'exit code 1')).toBe('warning: x\nno such service: api');
    expect(composeFailureMessage([], 'exit code 15')).toBe('docker compose failed (exit code 15) without a message.');
  });
});
