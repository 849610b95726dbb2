import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, parse, resolve, sep } from 'node:path';

/** Folders of the system that a publish must never replace or fill. */
const SYSTEM_FOLDERS = [
  '/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib32', '/lib64', '/media', '/mnt', '/opt', '/proc', '/root',
  '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/lib', '/usr/local', '/usr/sbin', '/usr/share', '/var',
  '/var/lib', '/var/log', '/var/tmp',
];

/**
 * The absolute path with every symbolic link of its existing part resolved,
 * so that a link cannot hide an overlap.
 *
 * @param path An absolute path, existing or not.
 */
function canonical(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(canonical(parent), basename(path));
  }
}

/** Whether `inner` is `outer` or inside it. */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/**
 * What is wrong with publishing into a local folder, if anything: it must not
 * hold or lie inside the site or the output folder (the next build would
 * delete it, or it would publish the site's sources), and must not be a
 * system folder, the home folder or one of its parents.
 *
 * @param target The folder (absolute).
 * @param root   The site root (absolute).
 * @param outDir The output folder (absolute).
 * @param home   The home folder.
 */
export function overlapProblem(target: string, root: string, outDir: string, home = homedir()): string | undefined {
  const place = canonical(resolve(target));
  const site = canonical(resolve(root));
  const out = canonical(resolve(outDir));
  const homeFolder = canonical(resolve(home));
  const system = SYSTEM_FOLDERS.map((folder) => canonical(folder));
  if (place === parse(place).root || system.includes(place)) return `${place} is a system folder: publish into a folder of its own, such as /var/www/blog`;
  if (homeFolder !== parse(homeFolder).root && within(homeFolder, place)) return `${place} is your home folder or holds it: publish into a folder of its own, such as ${join(homeFolder, 'www')}`;
  if (within(place, out)) return `${place} is inside the output folder ${out}, which the next build deletes: publish outside it`;
  if (within(place, site)) return `${place} is inside the site ${site}: publish outside the site folder, such as ${join(dirname(site), 'www')}`;
  if (within(out, place)) return `${place} holds the output folder ${out}: publish into a folder of its own`;
  if (within(site, place)) return `${place} holds the site ${site}: publish into a folder of its own`;
  return undefined;
}
