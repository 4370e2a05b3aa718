import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { findContainerByRef } from './container-ref';

const container = (name: string, id: string) => ({ name, id: id.padEnd(64, '0') }) as ContainerSummary;
const list = [container('web', 'abc123'), container('db', 'abd456'), container('abc', 'fff000')];

describe('findContainerByRef', () => {
  it('finds a container by its name first, even when the name looks like an id prefix', () => {
    expect(findContainerByRef(list, 'web')?.name).toBe('web');
    expect(findContainerByRef(list, 'abc')?.name).toBe('abc');
  });

  it('finds one by its full id or a unique prefix, in any case', () => {
    expect(findContainerByRef(list, 'abc123'.padEnd(64, '0'))?.name).toBe('web');
    expect(findContainerByRef(list, 'ABD4')?.name).toBe('db');
  });

  it('finds none for an ambiguous prefix or a name that is not there', () => {
    expect(findContainerByRef(list, 'ab')).toBeUndefined();
    expect(findContainerByRef(list, 'gone')).toBeUndefined();
    expect(findContainerByRef([], 'web')).toBeUndefined();
  });
});
