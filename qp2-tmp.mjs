import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
const variant = process.argv[2];
const dir = mkdtempSync('/tmp/s6q/q-');
const db = new Database(dir + '/x.db');
db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE outbox (id INTEGER PRIMARY KEY, kind TEXT, recipient TEXT, link TEXT, list_id TEXT, message_id TEXT, state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, owner_pid INTEGER, last_response TEXT, created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), sent_at TEXT);`);
if (variant === 'full') db.exec('CREATE INDEX outbox_due ON outbox (state, next_attempt_at)');
else db.exec("CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE state = 'pending'; CREATE INDEX outbox_retry ON outbox (next_attempt_at) WHERE state = 'retry'");
const ins = db.prepare("INSERT INTO outbox (kind, recipient, link, message_id, state) VALUES ('confirm', ?, 'seal:0000000000abcdefabcdef.1900000000', '<confirm.aaaaaaaaaaaaaaaaaaaaaaaa@example.org>', ?)");
db.transaction(() => { for (let i = 0; i < 40000; i++) ins.run(`reader${i}@example.com`, i < 20000 ? 'sent' : 'pending'); })();
db.pragma('wal_checkpoint(TRUNCATE)');
const claim = db.prepare(`UPDATE outbox SET state = 'sending', attempts = attempts + 1, owner_pid = 1 WHERE id = (SELECT id FROM (
  SELECT * FROM (SELECT id, next_attempt_at FROM outbox WHERE state = 'pending' AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT 1)
  UNION ALL SELECT * FROM (SELECT id, next_attempt_at FROM outbox WHERE state = 'retry' AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT 1))
  ORDER BY next_attempt_at, id LIMIT 1) RETURNING id`);
const hand = db.prepare("UPDATE outbox SET state = 'handed' WHERE id = ?");
const settle = db.prepare(`UPDATE outbox SET state = @state, last_response = @response, owner_pid = NULL, next_attempt_at = coalesce(@next, next_attempt_at),
  link = CASE WHEN @state = 'sent' THEN NULL ELSE link END, sent_at = CASE WHEN @state = 'sent' THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE sent_at END WHERE id = @id`);
const claimTx = db.transaction(() => claim.get({ now: Date.now() }));
const settleTx = db.transaction((id) => settle.run({ id, state: 'sent', response: '250 OK: message queued', next: null }));
const c0 = process.cpuUsage(); const N = 5000;
const t = { claim: 0, hand: 0, settle: 0 };
for (let i = 0; i < N; i++) {
  let a = performance.now(); const row = claimTx(); t.claim += performance.now() - a;
  a = performance.now(); hand.run(row.id); t.hand += performance.now() - a;
  a = performance.now(); settleTx(row.id); t.settle += performance.now() - a;
  if (i % 100 === 0) db.pragma('wal_checkpoint(PASSIVE)');
}
const c = process.cpuUsage(c0);
console.log(variant, 'cpu µs/email', ((c.user + c.system) / N).toFixed(0), Object.entries(t).map(([k, v]) => `${k} ${(v / N * 1000).toFixed(0)}`).join(' '));
