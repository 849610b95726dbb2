import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { buildRecordPath } from '../../src/pipeline/build-record.js';
import { publish } from '../../src/publish/publish.js';
import { sahifa } from '../helpers/cli.js';
import { outside, smallSite } from './publish-site.js';

describe('issue 9: an unreadable build record means "no good build"', () => {
  it('refuses to publish with a damaged, foreign or missing .sahifa/last-build.json, saying to run sahifa build, and publishes after a build', async () => {
    const web = join(await outside('web'), 'www');
    const root = await smallSite({ site: { type: 'dir', path: web } });
    const record = buildRecordPath(root);
    const outDir = join(root, 'dist');
    const damaged: Array<[string | null, string]> = [
      ['{"truncated', 'is damaged, so the last build cannot be trusted: run sahifa build'],
      ['', 'is damaged'],
      ['[]', 'is damaged'],
      ['null', 'is damaged'],
      ['"ok"', 'is damaged'],
      [JSON.stringify({ [outDir]: { ok: 'yes', at: 'now', outDir } }), 'is damaged'],
      [JSON.stringify({ [outDir]: { ok: true } }), 'is damaged'],
      [JSON.stringify({ [outDir]: null }), 'is damaged'],
      ['\u0000\u0001binary', 'is damaged'],
      [JSON.stringify({ [join(root, 'other')]: { ok: true, at: 'now', outDir: join(root, 'other') } }), 'no successful build into'],
      [null, 'no successful build into'],
    ];
    for (const [text, message] of damaged) {
      await rm(record, { force: true });
      if (text !== null) await writeFile(record, text);
      await expect(publish({ root }), String(text)).rejects.toThrow(message);
      await expect(publish({ root, dryRun: true })).rejects.toThrow(/run sahifa build/);
      expect(existsSync(web)).toBe(false);
    }
    // A folder where the record should be.
    await rm(record, { force: true });
    await mkdir(record);
    await expect(publish({ root })).rejects.toThrow(/cannot read .*last-build\.json \(EISDIR\), so the last build cannot be trusted: run sahifa build/);
    await rm(record, { recursive: true });

    await writeFile(record, '{"truncated');
    await build({ root });
    expect((await publish({ root })).changed).toBe(true);
  });

  it('prints one error line in the command', async () => {
    const root = await smallSite({ site: { type: 'dir', path: join(await outside('web'), 'www') } });
    await writeFile(buildRecordPath(root), '{"ok": tru');
    const result = await sahifa(['publish', '--root', root]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .+last-build\.json is damaged, so the last build cannot be trusted: run sahifa build\n$/);
  });
});
