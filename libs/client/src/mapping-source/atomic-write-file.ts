// Replaces a file so that readers — including this process after a crash or power loss — see
// either the old content or the new one, never a torn mix: write a sibling, flush it, rename.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function atomicWriteFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Unique per writer: two processes sharing a cache file must not write into one temp file.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      // Without the sync a crash shortly after rename can leave an empty file under the name.
      await handle.sync();
    } finally {
      await handle.close();
    }
    // rename() within one directory is atomic on POSIX file systems.
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
