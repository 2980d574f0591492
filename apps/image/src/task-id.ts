/** Build task ids as upstream: `v<YYYYMMDDhhmmss>-<crc32(podName) hex>-<random hex 0x1000..0xffff>` (UTC). */
import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

const pad = (n: number) => String(n).padStart(2, '0');

export function newTaskId(podName: string, now = new Date(), random = randomInt(0x1000, 0x10000)): string {
  const stamp = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `v${stamp}-${crc32(podName).toString(16)}-${random.toString(16)}`;
}
