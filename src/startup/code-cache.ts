import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';
import { threadId } from 'node:worker_threads';

/**
 * The environment variable that makes {@link saveCodeCache} write: set by
 * `scripts/bundle.mjs` while it runs the freshly bundled CLI on the sample
 * site, never by a user's build.
 */
export const CODE_CACHE_TRAINING = 'SAHIFA_CODE_CACHE_TRAINING';

/** Bytes of the SHA-256 of the source that start a cache file. */
const DIGEST_BYTES = 32;

/** The code cache kept beside a bundled CommonJS file. */
export function codeCacheFile(file: string): string {
  return `${file}.v8cache`;
}

/** A CommonJS file run through {@link runCommonJs}. */
export interface LoadedScript {
  /** What the file exported (`module.exports`). */
  exports: unknown;
  /** The file's path. */
  file: string;
  /** The compiled script, whose code cache {@link saveCodeCache} writes. */
  script: vm.Script;
  /** The SHA-256 of the file's bytes, which its cache starts with. */
  digest: Buffer;
  /**
   * Whether V8 turned the code cache down (another Node or V8 version, other
   * flags, a damaged file); undefined when there was none for this file's
   * bytes.
   */
  rejected: boolean | undefined;
}

/**
 * Runs a bundled CommonJS file as Node's own loader would (the same
 * `exports`, `require`, `module`, `__filename` and `__dirname`), but compiled
 * with the V8 code cache kept beside it, when there is one: V8 then neither
 * parses nor compiles the functions the cache holds. Node 20 offers no such
 * cache for its module loaders (`module.enableCompileCache` is Node 22), and
 * parsing a 5 MB bundle is a large part of a small build. A cache V8 does not
 * accept is ignored: the file is compiled as without one. V8 checks only a
 * source's length against its cache, so the cache starts with the SHA-256 of
 * the bytes it was made from, and is offered to V8 only for those bytes (a
 * file edited by hand to the same length would otherwise run another
 * file's code).
 *
 * @param file Absolute path of the CommonJS file.
 */
export function runCommonJs(file: string): LoadedScript {
  const bytes = readFileSync(file);
  const digest = createHash('sha256').update(bytes).digest();
  const cacheFile = codeCacheFile(file);
  const stored = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const cachedData = stored && stored.length > DIGEST_BYTES && stored.subarray(0, DIGEST_BYTES).equals(digest) ? stored.subarray(DIGEST_BYTES) : undefined;
  const script = new vm.Script(Module.wrap(bytes.toString('utf8')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    // The bundle imports ES modules (mjml's loader fallback) with import(), as the file would under Node's loader.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, file, script, digest, rejected: cachedData ? script.cachedDataRejected : undefined };
}

/**
 * Writes the code cache of a file run by {@link runCommonJs}, holding every
 * function compiled so far, when {@link CODE_CACHE_TRAINING} is set (the
 * bundle script's training run); otherwise does nothing, so a build never
 * writes into sahifa's own folder. Written whole under another name, then
 * renamed, as two threads may write the same cache.
 *
 * @param loaded The file, as run.
 */
export function saveCodeCache(loaded: LoadedScript): void {
  if (!process.env[CODE_CACHE_TRAINING]) return;
  const target = codeCacheFile(loaded.file);
  const temporary = `${target}.${process.pid}-${threadId}`;
  writeFileSync(temporary, Buffer.concat([loaded.digest, loaded.script.createCachedData()]));
  renameSync(temporary, target);
}
