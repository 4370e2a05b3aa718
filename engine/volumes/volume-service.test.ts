import { describe, expect, it } from 'vitest';
import { VolumeName, VolumeSummarySchema } from '../../app/contract/schemas.js';
import { toVolumeSummary, volumeNameProblem } from './volume-service.js';

describe('volumeNameProblem', () => {
  it.each(['db', 'app-data', 'app_data.v2', '0cache', 'A'.repeat(255)])('accepts %s', (name) => {
    expect(volumeNameProblem(name)).toBeNull();
  });

  it('needs at least 2 characters', () => {
    expect(volumeNameProblem('')).toBe('A volume name needs at least 2 characters.');
    expect(volumeNameProblem('a')).toBe('A volume name needs at least 2 characters.');
  });

  it('allows at most 255 characters', () => {
    expect(volumeNameProblem('a'.repeat(256))).toBe('A volume name can have at most 255 characters.');
  });

  it.each(['-data', '.data', '_data', 'my data', 'data/x', 'dätä', 'a:b', '../etc'])(
    "refuses %s with the engine's rule",
    (name) => {
      expect(volumeNameProblem(name)).toMatch(/starts with a letter or digit and contains only letters, digits/);
    },
  );

  it("agrees with the contract's VolumeName schema", () => {
    const names = ['db', 'a', '', '-x', 'x-', 'x y', 'ok.name_1', 'a'.repeat(255), 'a'.repeat(256), 'Ünï'];
    for (const name of names) {
      expect(VolumeName.safeParse(name).success, name).toBe(volumeNameProblem(name) === null);
    }
  });
});

describe('toVolumeSummary', () => {
  it('maps the engine fields', () => {
    const summary = toVolumeSummary({
      Name: 'db',
      Driver: 'local',
      Mountpoint: '/var/lib/docker/volumes/db/_data',
      CreatedAt: '2024-11-20T10:00:00Z',
      Labels: { project: 'shop' },
    });
    expect(summary).toEqual({
      name: 'db',
      driver: 'local',
      mountpoint: '/var/lib/docker/volumes/db/_data',
      createdAt: '2024-11-20T10:00:00Z',
      labels: { project: 'shop' },
    });
    expect(VolumeSummarySchema.safeParse(summary).success).toBe(true);
  });

  it('fills in a missing creation time and null labels', () => {
    expect(toVolumeSummary({ Name: 'db', Driver: 'local', Mountpoint: '/m', Labels: null })).toMatchObject({
      createdAt: null,
      labels: {},
    });
  });
});
