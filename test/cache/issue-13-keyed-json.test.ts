import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKeyedJson, writeKeyedJson } from '../../src/cache/keyed-json.js';

describe('issue 13: the small cache files (search page table, link check memory)', () => {
  it('gives a value back only under the key it was written with, survives damage, and sweeps the half-written files of dead processes only', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-keyed-json-'));
    const file = join(folder, 'made', 'clean.json');
    expect(await readKeyedJson(file, 'k')).toBeUndefined();
    await writeKeyedJson(file, 'k', { 'a/index.html': 'f'.repeat(64) });
    expect(await readKeyedJson(file, 'k')).toEqual({ 'a/index.html': 'f'.repeat(64) });
    expect(await readKeyedJson(file, 'other')).toBeUndefined();
    await writeFile(file, '{"key": "k", "value": ');
    expect(await readKeyedJson(file, 'k')).toBeUndefined();

    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    for (const pid of [dead, process.ppid]) await writeFile(join(folder, 'made', `clean.json.${pid}.tmp`), '{');
    await writeFile(join(folder, 'made', 'other.json.1.tmp'), '{');
    await writeKeyedJson(file, 'k2', [1, 2]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ key: 'k2', value: [1, 2] });
    expect((await readdir(join(folder, 'made'))).sort()).toEqual(['clean.json', `clean.json.${process.ppid}.tmp`, 'other.json.1.tmp']);
  });
});
