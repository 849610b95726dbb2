import { execFile } from 'node:child_process';

/** What a command printed. */
export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/**
 * Runs a program without a shell (arguments are never parsed by one) and
 * returns its output; a non-zero exit becomes an error with its stderr.
 * Prompts for passwords are turned off: credentials come from the
 * environment or the user's SSH/git setup.
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
      { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          reject(new Error(missing ? `${program} is not installed (apt-get install ${program})` : `${program} ${args[0] ?? ''} failed: ${stderr.trim() || error.message}`, { cause: error }));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}
