import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { terminalSafe } from '../diagnostics/terminal-text.js';

/** What a command printed. */
export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/** Transports git may use; `ext` and other remote helpers that run commands are not among them. */
const GIT_PROTOCOLS = 'file:git:http:https:ssh';

/** What to check when a program fails, by program name. */
const HINTS: Record<string, string> = {
  git: 'check the target\'s `remote` and that git reaches it with your credentials',
  rsync: 'check the target\'s `destination`, and that rsync is installed on both ends',
  ssh: 'check that ssh reaches the host without a password prompt (a key in your agent)',
};

/** A command's complaint as one line a terminal shows as text (a server's reply included). */
function oneLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return terminalSafe(lines.join(' / ').slice(0, 1000));
}

/**
 * Runs a program without a shell (arguments are never parsed by one) and
 * returns its output; a non-zero exit becomes a one-line error with what the
 * program printed. Prompts for passwords are turned off: credentials come
 * from the environment or the user's SSH/git setup.
 *
 * @param program The program (`git`, `rsync`, `ssh`).
 * @param args    Its arguments.
 * @param cwd     Where to run it.
 */
export function run(program: string, args: readonly string[], cwd?: string): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ALLOW_PROTOCOL: GIT_PROTOCOLS, LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          const step = program === 'git' ? ` ${args.find((arg) => /^[a-z-]+$/.test(arg) && !arg.startsWith('-')) ?? ''}` : '';
          const hint = HINTS[basename(program)];
          const reason = `${program}${step} failed: ${oneLine(stderr) || `exit code ${String(error.code)}`}${hint ? ` (${hint})` : ''}`;
          reject(new Error(missing ? `${program} is not installed (apt-get install ${program})` : reason));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}
