import { describe, expect, it } from 'vitest';
import { parseSettingValue } from './settings.js';

describe('parseSettingValue', () => {
  it('reads JSON where it is JSON, else keeps the text', () => {
    expect(parseSettingValue('2')).toBe(2);
    expect(parseSettingValue('false')).toBe(false);
    expect(parseSettingValue('["/srv/data"]')).toEqual(['/srv/data']);
    expect(parseSettingValue('/srv/data')).toBe('/srv/data');
    expect(parseSettingValue('two')).toBe('two');
  });
});
