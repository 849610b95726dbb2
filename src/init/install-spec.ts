import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the running sahifa came from, as a dependency spec for a new site's package.json. */
export interface InstallSpec {
  /** The spec: `github:owner/sahifa`, `git+https://…`, `file:../sahifa-0.1.0.tgz`, or `file:<this copy>`. */
  spec: string;
  /** False when the source is unknown and the spec points at this copy on this machine. */
  known: boolean;
}

/** The folder of the running sahifa package (the one holding its package.json). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The spec sahifa was installed from, found in the package.json of the
 * project whose `node_modules` holds it (an `npm install` in a site, or the
 * folder `npx` made for a one-off run), as npm saved it. A `file:` spec is
 * rewritten relative to the new site. When sahifa runs from a clone or the
 * spec cannot be found, the new site depends on this copy (`file:` and its
 * absolute path), which works on this machine only; the README says what to
 * put there instead.
 *
 * @param siteDir     Absolute path of the new site.
 * @param packageRoot The sahifa package's folder (default: the running one).
 */
export function installSpec(siteDir: string, packageRoot = PACKAGE_ROOT): InstallSpec {
  const root = packageRoot.replace(/[\\/]+$/, '');
  const modules = dirname(root);
  if (basename(root) === 'sahifa' && basename(modules) === 'node_modules') {
    const owner = dirname(modules);
    const spec = dependencySpec(join(owner, 'package.json'));
    if (spec !== undefined) return { spec: spec.startsWith('file:') ? rebase(spec, owner, siteDir) : spec, known: true };
  }
  return { spec: `file:${root}`, known: false };
}

function dependencySpec(packageJson: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as Record<string, unknown>;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      const deps = manifest[field];
      if (deps && typeof deps === 'object' && typeof (deps as Record<string, unknown>).sahifa === 'string') return (deps as Record<string, string>).sahifa;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** `file:../x.tgz` written in `from` → the same file seen from `to`. */
function rebase(spec: string, from: string, to: string): string {
  const target = spec.slice('file:'.length);
  const absolute = isAbsolute(target) ? target : resolve(from, target);
  const path = relative(to, absolute).split(sep).join('/');
  return `file:${path === '' ? '.' : path.startsWith('.') ? path : `./${path}`}`;
}
