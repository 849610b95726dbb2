import { z } from 'zod';

/** Bumped whenever {@link CachedPost} changes shape: older entries are then ignored. */
export const CACHED_POST_FORMAT = 3;

const place = z.object({ line: z.number(), column: z.number(), offset: z.number() });
const point = z.object({ line: z.number(), column: z.number() });

const message = z.object({
  reason: z.string(),
  place: z.union([point, z.object({ start: point, end: point })]).optional(),
  ruleId: z.string().optional(),
  source: z.string().optional(),
  fatal: z.boolean().nullable().optional(),
  note: z.string().optional(),
  url: z.string().optional(),
});

const output = z.object({
  /** Path under the output folder (`blog/<slug>/index.html`, `email/<slug>.html`…). */
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  /** Written from a string (read back as text). */
  text: z.boolean(),
});

/**
 * What rendering one post yields, as kept in the content cache: everything
 * the lists, tags, feeds, sitemap and link check need of it, its messages,
 * and the hashes of the files it wrote (the files themselves are taken from
 * the previous output by their hash). The schema gives the type; a stored
 * entry is checked by its hash instead (see `decodeEntry`).
 */
export const cachedPostSchema = z.object({
  format: z.literal(CACHED_POST_FORMAT),
  /** The key the entry was stored under (a foreign entry under another key is ignored). */
  key: z.string(),
  /**
   * Media files the post read, with the SHA-256 of their bytes, checked again before the entry is used:
   * by the file's `stat` when it matches one taken well after the file's last change, else by its bytes.
   */
  media: z.array(
    z.object({
      source: z.string(),
      sha256: z.string(),
      stat: z.object({ size: z.number(), mtimeMs: z.number(), ctimeMs: z.number(), ino: z.number(), at: z.number() }).optional(),
    }),
  ),
  post: z.object({
    meta: z.looseObject({ title: z.string(), tags: z.array(z.string()), date: z.unknown() }),
    slug: z.string().min(1),
    lang: z.string(),
    dir: z.enum(['rtl', 'ltr']),
    date: z.date(),
    words: z.number(),
    summary: z.string(),
    url: z.string(),
    cover: z.string().optional(),
    coverAlt: z.string().optional(),
  }),
  messages: z.array(message),
  outputs: z.array(output),
  /** The ids and references of the post's page, for the link check. */
  references: z.object({
    ids: z.set(z.string()),
    links: z.array(z.object({ tagName: z.string(), attribute: z.string(), value: z.string(), place: place.optional() })),
  }),
});

/** One post's entry in the content cache. */
export type CachedPost = z.infer<typeof cachedPostSchema>;

/** One file a cached post wrote. */
export type CachedOutput = CachedPost['outputs'][number];

/** A message of a cached post, as stored. */
export type CachedMessage = CachedPost['messages'][number];
