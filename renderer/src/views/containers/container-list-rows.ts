/**
 * The rows of the containers table: containers of a compose project gathered under one project row
 * (where its newest container would be), collapsible; every other container on its own.
 */
import type { ContainerSummary } from '../../../../engine/core/engine-types';

export type ListRow =
  | { kind: 'project'; key: string; project: string; containers: ContainerSummary[]; collapsed: boolean }
  | { kind: 'container'; key: string; container: ContainerSummary; project: string | null };

export function buildListRows(containers: readonly ContainerSummary[], collapsed: ReadonlySet<string>): ListRow[] {
  const byProject = new Map<string, ContainerSummary[]>();
  for (const container of containers) {
    if (container.composeProject === null) continue;
    const members = byProject.get(container.composeProject);
    if (members) members.push(container);
    else byProject.set(container.composeProject, [container]);
  }
  const rows: ListRow[] = [];
  for (const container of containers) {
    const project = container.composeProject;
    if (project === null) {
      rows.push({ kind: 'container', key: container.id, container, project: null });
      continue;
    }
    const members = byProject.get(project);
    if (!members) continue; // already placed with its project
    byProject.delete(project);
    const isCollapsed = collapsed.has(project);
    rows.push({ kind: 'project', key: `project:${project}`, project, containers: members, collapsed: isCollapsed });
    if (!isCollapsed) {
      for (const member of members) rows.push({ kind: 'container', key: member.id, container: member, project });
    }
  }
  return rows;
}

/** "2 of 3 running" and the like, for a project row. */
export function projectSummary(containers: readonly ContainerSummary[]): string {
  const running = containers.filter((container) => container.state === 'running').length;
  return `${running} of ${containers.length} running`;
}
