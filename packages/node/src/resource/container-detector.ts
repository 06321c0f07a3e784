import { readFileSync } from 'node:fs';
import type { DetectedResource, ResourceDetector } from '@opentelemetry/resources';

const CONTAINER_ID = /[0-9a-f]{64}/;

/**
 * Finds `container.id` from the cgroup files: cgroup v1 names the container in `/proc/self/cgroup`,
 * cgroup v2 only in the mount table (`/proc/self/mountinfo`, the `.../containers/<id>/...` mounts).
 * Outside a container nothing matches and the detector adds nothing.
 */
export function detectContainerId(
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): string | undefined {
  for (const line of safeLines(read, '/proc/self/cgroup')) {
    const last = line.split('/').pop() ?? '';
    const match = CONTAINER_ID.exec(last);
    if (match) return match[0];
  }
  for (const line of safeLines(read, '/proc/self/mountinfo')) {
    if (!line.includes('/containers/') && !line.includes('/docker/')) continue;
    for (const part of line.split('/')) {
      const match = CONTAINER_ID.exec(part);
      if (match && match[0].length === part.length) return match[0];
    }
  }
  return undefined;
}

function safeLines(read: (path: string) => string, path: string): string[] {
  try {
    return read(path).split('\n');
  } catch {
    return [];
  }
}

export const containerDetector: ResourceDetector = {
  detect(): DetectedResource {
    const id = detectContainerId();
    return { attributes: id === undefined ? {} : { 'container.id': id } };
  },
};
