/**
 * Checks of the publish settings that reach git, rsync and ssh as
 * arguments. Each returns what is wrong (for a config error that names the
 * key) or `undefined`. A value that could be read as an option (`-…`), a git
 * remote helper (`ext::`, `fd::`, any `name::`), or a host that ssh would
 * parse as a flag never gets past these, whatever the commands do with `--`.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Transports git may use for a remote; anything else (ext, fd, helpers) is refused. */
const GIT_SCHEMES = new Set(['https', 'http', 'ssh', 'git', 'file', 'git+ssh', 'ssh+git']);

/** `user@` (optional) and a host name or IPv4 address, as ssh and rsync read them. */
const SSH_HOST = /^(?:[\w.][\w.-]*@)?[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/i;

/** A path on a remote host that no shell would read specially (letters of any script allowed). */
const REMOTE_PATH = /^[\p{L}\p{M}\p{N}_./~+@%,=-]+$/u;

function common(value: string, what: string): string | undefined {
  if (CONTROL.test(value)) return `${what} holds a control character (a newline or similar): remove it`;
  if (value.startsWith('-')) return `${what} starts with "-", so git, rsync or ssh would read it as an option: write a path or address`;
  return undefined;
}

/**
 * A git remote: a URL with a known scheme, `user@host:path`, or a local path.
 *
 * @param remote The configured `remote`.
 */
export function gitRemoteProblem(remote: string): string | undefined {
  const first = common(remote, 'the remote');
  if (first) return first;
  const helper = /^([a-z][a-z0-9+.-]*)::/i.exec(remote);
  if (helper) return `"${helper[1]}::" remotes are refused (ext:: and fd:: run commands): use an https://, ssh:// or git@host:path address, or a local path`;
  const url = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?([^/]*)/i.exec(remote);
  if (url) {
    if (!GIT_SCHEMES.has(url[1]!.toLowerCase())) return `the "${url[1]}://" transport is refused: use https://, ssh://, git:// or file://`;
    if (url[2]!.startsWith('-')) return `the remote's host starts with "-": ssh would read it as an option`;
    return undefined;
  }
  const scp = /^([^/:]+):/.exec(remote);
  if (scp && !SSH_HOST.test(scp[1]!)) return `"${scp[1]}" is not a host name (in user@host:path, the host may hold letters, digits, "." and "-" and must not start with "-")`;
  return undefined;
}

/**
 * A branch name git accepts (`git check-ref-format --branch`), that cannot be
 * read as an option.
 *
 * @param branch The configured `branch`.
 */
export function gitBranchProblem(branch: string): string | undefined {
  if (!/^[\w][\w./-]*$/.test(branch)) return 'expected a branch name such as "gh-pages" (letters, digits, "_", ".", "/" and "-", starting with a letter, digit or "_")';
  if (/\.\.|\/\/|\/\.|[/.]$|\.lock$|\.lock\//.test(branch)) return 'not a valid git branch name (no "..", "//", "/." or ending in "/", "." or ".lock")';
  return undefined;
}

/**
 * An rsync destination: a local path, or `user@host:/path` over SSH.
 * rsync daemon addresses (`host::module`, `rsync://`) are refused.
 *
 * @param destination The configured `destination`.
 */
export function rsyncDestinationProblem(destination: string): string | undefined {
  const first = common(destination, 'the destination');
  if (first) return first;
  if (destination.includes('::') || /^[a-z][a-z0-9+.-]*:\/\//i.test(destination)) {
    return 'rsync daemon addresses (host::module, rsync://) are not supported: use user@host:/path (over SSH) or a local path';
  }
  const remote = /^([^/:]+):(.*)$/.exec(destination);
  if (!remote) return undefined;
  const [, host = '', path = ''] = remote;
  if (!SSH_HOST.test(host)) return `"${host}" is not a host name (in user@host:/path, the host may hold letters, digits, "." and "-" and must not start with "-")`;
  if (!REMOTE_PATH.test(path) || path.startsWith('-')) {
    return `the remote path "${path}" may hold only letters, digits and _ . / ~ + @ % , = - (no spaces or shell characters), and must not start with "-"`;
  }
  return undefined;
}

/** Options of ssh that take no value and change nothing but how it connects. */
const SSH_FLAGS = new Set(['-4', '-6', '-C', '-q', '-v', '-T', '-x', '-a']);

/** `-o` settings allowed in the `ssh` command; the rest (ProxyCommand, LocalCommand, Include, Match…) can run commands. */
const SSH_SETTINGS = new Set(
  [
    'Port', 'User', 'IdentityFile', 'IdentitiesOnly', 'StrictHostKeyChecking', 'UserKnownHostsFile', 'ConnectTimeout',
    'ConnectionAttempts', 'BatchMode', 'Compression', 'ServerAliveInterval', 'ServerAliveCountMax', 'LogLevel',
    'HostKeyAlias', 'PreferredAuthentications', 'PubkeyAuthentication', 'PasswordAuthentication', 'AddressFamily',
    'CheckHostIP', 'HashKnownHosts', 'UpdateHostKeys',
  ].map((name) => name.toLowerCase()),
);

/** One `-o Key=Value` setting's problem. */
function sshSettingProblem(setting: string): string | undefined {
  const [key = '', value] = setting.split('=', 2);
  if (value === undefined || !value) return `"-o ${setting}" must be written Key=Value`;
  if (!SSH_SETTINGS.has(key.toLowerCase())) return `the ssh setting "${key}" is not allowed here (it could run a command): put it in ~/.ssh/config instead`;
  return undefined;
}

/**
 * The SSH command used by rsync and for switching releases: the program
 * (`ssh` or an absolute path) and a few connection options — `-p PORT`,
 * `-i FILE`, `-l USER`, `-o Key=Value` for harmless keys, and `-4 -6 -C -q
 * -v -T -x -a`. Anything that could run a local command is refused.
 *
 * @param command The configured `ssh`.
 */
export function sshCommandProblem(command: string): string | undefined {
  if (CONTROL.test(command.replace(/\t/g, ' '))) return 'the ssh command holds a control character: remove it';
  if (/["'\\`$;&|<>(){}*?!#]/.test(command)) return 'the ssh command may not hold quotes or shell characters: write it as words, such as "ssh -p 2222 -i /home/me/.ssh/deploy"';
  const [program = '', ...words] = command.split(/[ \t]+/).filter(Boolean);
  if (program !== 'ssh' && !/^\/[^-]/.test(program)) return `the ssh command must start with "ssh" or an absolute path to it, not "${program}"`;
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    if (SSH_FLAGS.has(word)) continue;
    const option = /^-([pilo])(.*)$/.exec(word);
    if (!option) return `"${word}" is not an ssh option allowed here: use -p PORT, -i FILE, -l USER or -o Key=Value (put the rest in ~/.ssh/config)`;
    const value = option[2] || words[(index += 1)];
    if (value === undefined || value.startsWith('-')) return `"-${option[1]}" needs a value`;
    if (option[1] === 'p' && !(/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535)) return `"-p ${value}": expected a port number from 1 to 65535`;
    if (option[1] === 'l' && !/^[\w.][\w.-]*$/.test(value)) return `"-l ${value}": expected a user name`;
    if (option[1] === 'o') {
      const problem = sshSettingProblem(value);
      if (problem) return problem;
    }
  }
  return undefined;
}

/**
 * Throws the first problem of a set of values, for callers that bypass the
 * configuration (the publish functions check again before running anything).
 *
 * @param checks Setting name → its problem, if any.
 */
export function assertCommandValues(checks: Record<string, string | undefined>): void {
  for (const [key, problem] of Object.entries(checks)) if (problem) throw new Error(`\`${key}\`: ${problem}`);
}

/**
 * A host name for `CNAME`.
 *
 * @param cname The configured `cname`.
 */
export function cnameProblem(cname: string): string | undefined {
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  return cname.length <= 253 && new RegExp(`^${label}(?:\\.${label})*$`, 'i').test(cname) ? undefined : 'expected a host name such as "blog.example.org"';
}
