import { afterEach, describe, expect, it } from 'vitest';
import { sendTestCopy } from '../../src/send/send.js';
import { isLoopbackHost, parseSmtpUrl } from '../../src/send/smtp-url.js';
import { sahifa } from '../helpers/cli.js';
import { copyFixture } from '../helpers/site.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const PASSWORD = 'Sup3r-s3cret';

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The message parseSmtpUrl refuses a URL with. */
function refusal(url: string): string {
  try {
    parseSmtpUrl(url);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('issue 10: SAHIFA_SMTP_URL mistakes get one line naming the variable and the fix', () => {
  it.each([
    ['no scheme', `user:${PASSWORD}@smtp.example.org:587`, 'SAHIFA_SMTP_URL has no scheme: write it as smtp://user:password@smtp.example.org:587 (STARTTLS) or smtps://user:password@smtp.example.org:465 (TLS)'],
    ['a bare host', 'smtp.example.org', 'SAHIFA_SMTP_URL has no scheme: write it as smtp://user:password@smtp.example.org:587 (STARTTLS) or smtps://user:password@smtp.example.org:465 (TLS)'],
    ['http://', `http://user:${PASSWORD}@smtp.example.org`, 'SAHIFA_SMTP_URL starts with "http://": sahifa sends mail over SMTP only; write it as smtp://user:password@smtp.example.org:587 (STARTTLS) or smtps://user:password@smtp.example.org:465 (TLS)'],
    ['https://', 'https://smtp.example.org', 'SAHIFA_SMTP_URL starts with "https://": sahifa sends mail over SMTP only; write it as smtp://user:password@smtp.example.org:587 (STARTTLS) or smtps://user:password@smtp.example.org:465 (TLS)'],
    ['smtps:// on 587', `smtps://user:${PASSWORD}@smtp.example.org:587`, 'SAHIFA_SMTP_URL uses smtps:// (TLS from the start) on port 587, where servers expect STARTTLS: write smtp://…:587 (sahifa then requires STARTTLS) or smtps://…:465'],
    ['smtps:// on 25', 'smtps://smtp.example.org:25', 'SAHIFA_SMTP_URL uses smtps:// (TLS from the start) on port 25, where servers expect STARTTLS: write smtp://…:25 (sahifa then requires STARTTLS) or smtps://…:465'],
    ['smtp:// on 465', `smtp://user:${PASSWORD}@smtp.example.org:465`, 'SAHIFA_SMTP_URL uses smtp:// on port 465, where servers expect TLS from the start: write smtps://…:465, or smtp://…:587 for STARTTLS'],
    ['a # in the password', 'smtp://user:pa#ss@smtp.example.org:587', 'SAHIFA_SMTP_URL is not a valid URL: if the password holds special characters, percent-encode @ as %40, # as %23, / as %2F, ? as %3F, : as %3A and % as %25 in the user name and password; e.g. smtp://user:password@smtp.example.org:587 (STARTTLS) or smtps://user:password@smtp.example.org:465 (TLS)'],
    ['a # and digits in the password', 'smtp://user:12#34@smtp.example.org', 'SAHIFA_SMTP_URL has a path, query or "#" after the host, most likely from the password: percent-encode @ as %40, # as %23, / as %2F, ? as %3F, : as %3A and % as %25 in the user name and password'],
    ['a / in the password', 'smtp://user:a/b@smtp.example.org:587', 'SAHIFA_SMTP_URL is not a valid URL: if the password holds special characters, percent-encode @ as %40, # as %23, / as %2F, ? as %3F, : as %3A and % as %25 in the user name and password; e.g. smtp://user:password@smtp.example.org:587 (STARTTLS) or smtps://user:password@smtp.example.org:465 (TLS)'],
    ['a ? in the password', 'smtp://user:a?b@smtp.example.org:587', 'SAHIFA_SMTP_URL is not a valid URL: if the password holds special characters, percent-encode @ as %40, # as %23, / as %2F, ? as %3F, : as %3A and % as %25 in the user name and password; e.g. smtp://user:password@smtp.example.org:587 (STARTTLS) or smtps://user:password@smtp.example.org:465 (TLS)'],
    ['a stray % in the password', 'smtp://user:100%zz@smtp.example.org:587', 'SAHIFA_SMTP_URL has a "%" in the user name or password that is no escape: percent-encode @ as %40, # as %23, / as %2F, ? as %3F, : as %3A and % as %25 in the user name and password'],
  ])('%s', (_case, url, message) => {
    expect(refusal(url)).toBe(message);
    expect(refusal(url)).not.toContain(PASSWORD);
  });

  it('reads an @ in the user name or password by the last @, and percent-escapes, and requires TLS for credentials off loopback', () => {
    expect(parseSmtpUrl('smtp://news@example.org:p@ss@smtp.example.org:587')).toMatchObject({
      host: 'smtp.example.org',
      port: 587,
      secure: false,
      requireTLS: true,
      auth: { user: 'news@example.org', pass: 'p@ss' },
      display: 'smtp://news%40example.org:***@smtp.example.org:587',
    });
    expect(parseSmtpUrl('smtps://u:p%23w%2Fd@smtp.example.org')).toMatchObject({ port: 465, secure: true, requireTLS: false, auth: { user: 'u', pass: 'p#w/d' } });
    expect(parseSmtpUrl('smtp://relay.example.org:25')).toMatchObject({ requireTLS: false });
    expect(parseSmtpUrl('smtp://u:p@localhost:2525')).toMatchObject({ requireTLS: false });
    expect(parseSmtpUrl('smtp://u:p@[::1]:2525')).toMatchObject({ host: '::1', requireTLS: false });
    expect(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST.', 'mail.localhost', '[::1]', '::ffff:127.0.0.1'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', '::2', 'localhost.example.org', '128.0.0.1', 'example.org'].some(isLoopbackHost)).toBe(false);
  });

  it('says when smtps:// meets a server that speaks plain SMTP (the OpenSSL "wrong version number")', async () => {
    server = await startSmtpServer();
    const root = await copyFixture('send-site');
    await expect(sendTestCopy({ root, slug: 'talks', smtpUrl: `smtps://127.0.0.1:${server.port}`, secret: 's' }, 'editor@example.org')).rejects.toThrow(
      `the SMTP server at 127.0.0.1:${server.port} did not answer TLS: SAHIFA_SMTP_URL says smtps://, but this port expects plain SMTP with STARTTLS; write smtp://…:${server.port}`,
    );
  });

  it('prints one line on the command line, without the password', async () => {
    const root = await copyFixture('send-site');
    const run = await sahifa(['send', 'talks', '--root', root], { env: { SAHIFA_SMTP_URL: `smtp.example.org:587`, SAHIFA_SECRET: 's' } });
    expect(run.stderr).toBe('error: SAHIFA_SMTP_URL has no scheme: write it as smtp://user:password@smtp.example.org:587 (STARTTLS) or smtps://user:password@smtp.example.org:465 (TLS)\n');
    expect(run.status).toBe(1);
    const withPassword = await sahifa(['send', 'talks', '--root', root], { env: { SAHIFA_SMTP_URL: `smtps://user:${PASSWORD}@smtp.example.org:587`, SAHIFA_SECRET: 's' } });
    expect(withPassword.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(withPassword.stderr).toContain('SAHIFA_SMTP_URL uses smtps://');
    expect(withPassword.stderr).not.toContain(PASSWORD);
  });
});
