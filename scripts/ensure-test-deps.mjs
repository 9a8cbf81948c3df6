#!/usr/bin/env node
// `npm test` needs a real redis-server, redis-sentinel and nginx (the deployment test runs Sentinel failover behind
// the project's proxy template), Debian's Chromium (end-to-end tests) and a CJK font (so screenshots of a Chinese
// wall are readable). Obtain them where that can be done unattended (root on Debian/Ubuntu), or stop with
// the exact instruction: a test is never skipped silently.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const has = (paths) => paths.some((p) => existsSync(p));
const needs = [
  {
    pkg: 'redis-server',
    present: has([
      '/usr/bin/redis-server',
      '/usr/sbin/redis-server',
      '/usr/local/bin/redis-server',
      '/opt/homebrew/bin/redis-server',
    ]),
    required: true,
  },
  {
    pkg: 'redis-sentinel',
    present: has([
      '/usr/bin/redis-sentinel',
      '/usr/sbin/redis-sentinel',
      '/usr/local/bin/redis-sentinel',
      '/opt/homebrew/bin/redis-sentinel',
    ]),
    required: true,
  },
  {
    pkg: 'nginx-light',
    present: has(['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/opt/homebrew/bin/nginx']),
    required: true,
  },
  { pkg: 'chromium', present: existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'), required: true },
  {
    pkg: 'fonts-wqy-microhei',
    present: has(['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', '/System/Library/Fonts/PingFang.ttc']),
    required: false,
  },
];
const missing = needs.filter((n) => !n.present);

if (missing.length > 0) {
  const names = missing.map((n) => n.pkg);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.platform === 'linux' && existsSync('/usr/bin/apt-get') && isRoot) {
    console.log(`npm test: installing ${names.join(', ')} with apt-get …`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...names], { stdio: 'inherit', env });
  } else if (missing.some((n) => n.required)) {
    console.error(`npm test needs ${names.join(', ')}, which this machine lacks.`);
    console.error(`  Debian/Ubuntu: sudo apt-get install -y ${names.join(' ')}`);
    console.error(
      '  elsewhere: install Redis 7+ (with redis-sentinel), nginx and Chromium, and set CHROMIUM_PATH to the Chromium binary.',
    );
    process.exit(1);
  } else {
    console.warn(`npm test: no CJK font found (${names.join(', ')}): screenshots will show boxes instead of Chinese.`);
  }
}
