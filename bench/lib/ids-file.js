import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Write the ids a peer serves to `<dir>/ids.json`, where the load generator picks them from;
 * `ids` defaults to 1..count, the ids of a peer that numbers its rows.
 * @param {string} dir
 * @param {Array<string | number> | number} ids  the ids, or how many sequential ones
 * @returns {string} the file
 */
export function writeIdsFile(dir, ids) {
  const file = join(dir, 'ids.json');
  const list = typeof ids === 'number' ? Array.from({ length: ids }, (_, i) => i + 1) : ids;
  writeFileSync(file, JSON.stringify(list));
  return file;
}
