import cliProgress from 'cli-progress';
import { NUMBER_RANGES } from '../config/schema.js';
import { parseRangedFlag } from '../config/number-range.js';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { normalizeAddress } from '../send/address.js';
import { dryRun, sendNewsletter, sendStatus, sendTestCopy } from '../send/send.js';
import { plural, printError, stderrIsTty } from './output.js';

/** Flags of `sahifa send`. */
export interface SendFlags {
  root: string;
  out?: string;
  to?: string;
  dryRun: boolean;
  status: boolean;
  retryUnknown: boolean;
  force: boolean;
  rate?: string;
  concurrency?: string;
}

/**
 * `sahifa send SLUG`: sends, or with `--to` a test copy, with `--dry-run`
 * a rehearsal, with `--status` the campaign's state.
 *
 * @param slug  The post's slug.
 * @param flags The command's flags.
 * @returns The exit code.
 */
export async function runSend(slug: string, flags: SendFlags): Promise<number> {
  const bar = new cliProgress.SingleBar({ format: 'Sending [{bar}] {value}/{total} {eta_formatted} left', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
  let barStarted = false;
  try {
    if (flags.status) return await printStatus(flags.root, slug);
    const options = {
      root: flags.root,
      out: flags.out,
      slug,
      smtpUrl: process.env.SAHIFA_SMTP_URL,
      secret: process.env.SAHIFA_SECRET,
      rate: parseRangedFlag(flags.rate, '--rate', NUMBER_RANGES.rate),
      concurrency: parseRangedFlag(flags.concurrency, '--concurrency', NUMBER_RANGES.concurrency),
      retryUnknown: flags.retryUnknown,
      force: flags.force,
    };
    if (flags.to !== undefined) {
      const address = normalizeAddress(flags.to);
      if (!address.ok) throw new Error(`--to: ${address.reason}`);
      const outcome = await sendTestCopy(options, address.address);
      if (outcome.status !== 'sent') throw new Error(`the test copy to ${address.address} was not accepted (${outcome.status}): ${terminalSafe(outcome.response)}`);
      process.stdout.write(`Sent a test copy of "${slug}" to ${address.address}\n`);
      return 0;
    }
    if (flags.dryRun) {
      const report = await dryRun(options);
      process.stdout.write(
        `Dry run: would send ${plural(report.wouldSend, 'message')} (${plural(report.alreadyDone, 'subscriber')} already done); largest HTML part ${(report.largestHtmlBytes / 1024).toFixed(1)} KB; nothing was sent\n`,
      );
      return 0;
    }
    const report = await sendNewsletter({
      ...options,
      onProgress: (done, total) => {
        if (!stderrIsTty) return;
        if (!barStarted) {
          bar.start(total, 0);
          barStarted = true;
        }
        bar.update(done);
      },
    });
    if (barStarted) bar.stop();
    const rate = report.sent / Math.max(report.seconds, 0.001);
    process.stdout.write(
      `Sent ${report.sent}, failed ${report.failed}${report.bounced ? ` (${report.bounced} with no such mailbox, now marked bounced)` : ''}, unknown ${report.unknown}, skipped ${report.skipped} in ${report.seconds.toFixed(2)} s (${rate.toFixed(1)} messages/s)\n`,
    );
    if (report.failed || report.unknown) process.stdout.write(`See who and why: sahifa send ${slug} --status\n`);
    return report.failed || report.unknown ? 1 : 0;
  } catch (error) {
    if (barStarted) bar.stop();
    printError(error);
    return 1;
  }
}

async function printStatus(root: string, slug: string): Promise<number> {
  const status = await sendStatus(root, slug);
  if (!status) {
    process.stdout.write(`"${slug}" has not been sent yet\n`);
    return 0;
  }
  const counts = Object.entries(status.counts).map(([state, count]) => `${state} ${count}`).join(', ');
  process.stdout.write(`${status.slug}: "${status.subject}"\nstarted ${status.createdAt}${status.completedAt ? `, completed ${status.completedAt}` : ', not completed'}\n${counts || 'no deliveries'}\n`);
  for (const problem of status.problems) {
    process.stdout.write(`  ${problem.state} ${terminalSafe(problem.email)} after ${plural(problem.attempts, 'attempt')}: ${terminalSafe(problem.response ?? '')}\n`);
  }
  return 0;
}
