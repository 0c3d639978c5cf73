/**
 * A uniform number in [0, 1) derived from the request id (32-bit FNV-1a, then a murmur3
 * finalizer to spread similar ids), so a routing decision can be replayed from its record.
 */
export function drawFromRequestId(requestId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < requestId.length; index += 1) {
    hash = Math.imul(hash ^ requestId.charCodeAt(index), 0x01000193);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000;
}
