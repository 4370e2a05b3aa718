import { describe, expect, it } from 'vitest';
import { applyComposeItem, EMPTY_COMPOSE_LOG } from './compose-progress-log';

describe('applyComposeItem', () => {
  it("keeps each object's latest status in first-seen order, the other lines, and the project", () => {
    const log = [
      { kind: 'step', object: 'Network', name: 'shop_default', status: 'Creating' },
      { kind: 'step', object: 'Container', name: 'shop-web-1', status: 'Creating' },
      { kind: 'step', object: 'Network', name: 'shop_default', status: 'Created' },
      { kind: 'line', text: 'WARN: the attribute version is obsolete' },
      { kind: 'step', object: 'Container', name: 'shop-web-1', status: 'Started' },
      { kind: 'done', project: 'shop' },
    ].reduce(applyComposeItem as never, EMPTY_COMPOSE_LOG);
    expect(log).toEqual({
      steps: [
        { key: 'Network shop_default', status: 'Created' },
        { key: 'Container shop-web-1', status: 'Started' },
      ],
      lines: ['WARN: the attribute version is obsolete'],
      project: 'shop',
    });
  });
});
