import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheRoot } from '../../cache/cache-root.js';

/**
 * Where a site keeps its compiled layouts: `.sahifa/cache/mjml/`.
 *
 * @param root The site root.
 */
export function compiledLayoutsDir(root: string): string {
  return join(cacheRoot(root), 'mjml');
}

/**
 * Compiled MJML layouts (the skeletons of src/render/email/splice-mjml.ts)
 * kept on disk between builds, in `.sahifa/cache/mjml/`: a build that
 * renders one edited post's email then splices it into the stored layout
 * without loading mjml (about 0.5 s of start-up). Each file is keyed by the
 * skeleton and the installed mjml's version, written whole (aside, then
 * renamed) and checked by its SHA-256 when read; anything else is compiled
 * again.
 */
export class LayoutStore {
  private readonly version: string;

  /** @param folder Where the layouts are kept (made on first write). */
  constructor(readonly folder: string) {
    this.version = mjmlVersions();
  }

  /**
   * The stored output of a skeleton, or `undefined`.
   *
   * @param skeleton The MJML skeleton (markers in place of the per-email parts).
   */
  get(skeleton: string): string | undefined {
    try {
      const stored = JSON.parse(readFileSync(this.path(skeleton), 'utf8')) as { html?: unknown; sha256?: unknown };
      if (typeof stored.html !== 'string' || stored.sha256 !== sha256(stored.html)) return undefined;
      return stored.html;
    } catch {
      return undefined;
    }
  }

  /**
   * Keeps a skeleton's output; a store that cannot be written costs only the next build's time.
   *
   * @param skeleton The MJML skeleton.
   * @param html     What mjml made of it.
   */
  put(skeleton: string, html: string): void {
    const path = this.path(skeleton);
    try {
      mkdirSync(this.folder, { recursive: true });
      writeFileSync(`${path}.${process.pid}`, JSON.stringify({ html, sha256: sha256(html) }));
      renameSync(`${path}.${process.pid}`, path);
    } catch {
      // Not kept: the next build compiles it again.
    }
  }

  private path(skeleton: string): string {
    return join(this.folder, `${sha256(`${this.version}\0${skeleton}`)}.json`);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The installed mjml's and mjml-core's versions, read from their package files (importing mjml is what the store avoids). */
function mjmlVersions(): string {
  const require = createRequire(import.meta.url);
  return ['mjml', 'mjml-core']
    .map((name) => {
      try {
        return `${name}@${(JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: string }).version ?? '?'}`;
      } catch {
        return `${name}@?`;
      }
    })
    .join(' ');
}
