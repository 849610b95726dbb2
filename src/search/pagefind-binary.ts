import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';

/** The names Pagefind's own launcher tries, in its order. */
const NAMES = ['pagefind_extended', 'pagefind'];

/**
 * The Pagefind binary that the `pagefind` package will start: the one an
 * environment variable names (`PAGEFIND_EXTENDED_BINARY_PATH`,
 * `PAGEFIND_BINARY_PATH`), else the one in its platform package
 * (`@pagefind/linux-x64`…). The same search as Pagefind's launcher, which
 * it does not export.
 *
 * @returns The path, or `undefined` when no binary is installed.
 */
export function pagefindBinary(): string | undefined {
  for (const name of NAMES) {
    const fromEnv = process.env[binaryVariable(name)];
    if (fromEnv) return fromEnv;
  }
  const os = platform() === 'win32' ? 'windows' : platform();
  const cpu = process.env.npm_config_arch || arch();
  const require = createRequire(import.meta.url);
  for (const name of NAMES) {
    try {
      return require.resolve(`@pagefind/${os}-${cpu}/bin/${name}${os === 'windows' ? '.exe' : ''}`);
    } catch {
      // Not this one; try the next name.
    }
  }
  return undefined;
}

function binaryVariable(name: string): string {
  return `${name.toUpperCase()}_BINARY_PATH`;
}

/** Where the binary's path came from, for the error message. */
function origin(): string {
  const variable = NAMES.map(binaryVariable).find((name) => process.env[name]);
  return variable ? `, named by ${variable}` : '';
}

let checked: Promise<void> | undefined;

/**
 * Runs the binary once (`--version`) before the first index of a process.
 * Pagefind's service neither reports a binary that is missing or broken in
 * one line (it prints a stack) nor notices one that exits, so this is where
 * such a binary is caught.
 *
 * @throws {Error} saying which binary and why, in one line.
 */
export function checkPagefindBinary(): Promise<void> {
  checked ??= new Promise<void>((resolve, reject) => {
    const binary = pagefindBinary();
    if (!binary) {
      reject(new Error(`no binary for ${platform()}-${arch()} (the optional package @pagefind/${platform()}-${arch()} is not installed)`));
      return;
    }
    execFile(binary, ['--version'], { windowsHide: true }, (error, stdout) => {
      if (error) reject(new Error(`${binary} does not run (${(error as NodeJS.ErrnoException).code ?? error.message.split('\n')[0]}${origin()})`));
      else if (!/^pagefind \d/.test(stdout)) reject(new Error(`${binary} is not Pagefind (it answered "${stdout.trim().slice(0, 60)}" to --version${origin()})`));
      else resolve();
    });
  }).catch((error: unknown) => {
    checked = undefined;
    throw error;
  });
  return checked;
}
