// Kubernetes caps an event's note (core/v1 message) at 1 kB; longer notes are cut, not rejected.
const MAX_NOTE = 1024;

export function truncateNote(note: string): string {
  if (Buffer.byteLength(note) <= MAX_NOTE) return note;
  // Cut on bytes, then drop a multi-byte character the cut split.
  return `${Buffer.from(note).subarray(0, MAX_NOTE - 3).toString('utf8').replace(/\uFFFD$/, '')}...`;
}
