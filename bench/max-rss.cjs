// Preloaded into each benchmarked child (`node --require`): on exit, appends
// the process's peak resident set size (kilobytes) to $BENCH_RSS_FILE.
'use strict';
const { appendFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
