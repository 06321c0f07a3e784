import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectContainerId } from './container-detector.js';

const ID = 'a'.repeat(32) + 'b'.repeat(32);

function files(contents: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = contents[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

describe('container.id detection', () => {
  it('reads the id from a cgroup v1 path', () => {
    const read = files({ '/proc/self/cgroup': `12:pids:/docker/${ID}\n11:memory:/docker/${ID}\n` });
    assert.equal(detectContainerId(read), ID);
  });

  it('reads the id from a systemd-style cgroup v1 scope', () => {
    const read = files({
      '/proc/self/cgroup': `1:name=systemd:/system.slice/docker-${ID}.scope\n`,
    });
    assert.equal(detectContainerId(read), ID);
  });

  it('falls back to the cgroup v2 mount table', () => {
    const read = files({
      '/proc/self/cgroup': '0::/\n',
      '/proc/self/mountinfo': `1 2 0:3 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw - ext4 /dev/sda1 rw\n`,
    });
    assert.equal(detectContainerId(read), ID);
  });

  it('finds nothing outside a container or when /proc cannot be read', () => {
    assert.equal(
      detectContainerId(
        files({
          '/proc/self/cgroup': '0::/user.slice\n',
          '/proc/self/mountinfo': '1 2 0:3 / / rw\n',
        }),
      ),
      undefined,
    );
    assert.equal(detectContainerId(files({})), undefined);
  });
});
