#!/usr/bin/env node
// `npm test` needs a real redis-server and Debian's Chromium (end-to-end tests). Obtain them where that can be
// done unattended (root on Debian/Ubuntu), or stop with the exact instruction: a test is never skipped silently.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const need = [];
const has = (paths) => paths.some((p) => existsSync(p));
if (!has(['/usr/bin/redis-server', '/usr/sbin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'])) need.push('redis-server');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) need.push('chromium');

if (need.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.platform === 'linux' && existsSync('/usr/bin/apt-get') && isRoot) {
    console.log(`npm test: installing ${need.join(' and ')} with apt-get …`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...need], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    console.error(`npm test needs ${need.join(' and ')}, which this machine lacks.`);
    console.error(`  Debian/Ubuntu: sudo apt-get install -y ${need.join(' ')}`);
    console.error('  elsewhere: install Redis 7+ and Chromium, and set CHROMIUM_PATH to the Chromium binary.');
    process.exit(1);
  }
}
