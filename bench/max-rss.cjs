// Preloaded into each benchmarked child (`node --require`): on exit, appends
// the process's peak resident set size (kilobytes) and its CPU time (user +
// system, microseconds, all threads) to $BENCH_RSS_FILE.
'use strict';
const { appendFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS} ${process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime}\n`);
});
