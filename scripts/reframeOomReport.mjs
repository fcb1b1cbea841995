// Writes test/fixtures/oom-formats/: ONE real corpus report re-framed in the kernel-log formats the
// corpus has no real sample of (GENERATED files; their SOURCES.md rows say so and cite the shape).
// The source: test/fixtures/oom-corpus/repo-vijayrod-demo-znode-memory-group-kill-besteffort-kubepods-limit-5.15.log,
// a syslog capture whose lines carry the kernel's own `[seconds]` stamp. Its raw dmesg form is those
// stamps and messages; every other file prints the same messages with stamps computed from BOOT.
// Usage: node scripts/reframeOomReport.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const SRC = 'test/fixtures/oom-corpus/repo-vijayrod-demo-znode-memory-group-kill-besteffort-kubepods-limit-5.15.log';
const OUT = 'test/fixtures/oom-formats';
const HOST = 'aks-np0cas-14924781-vmss000008';
/** Boot time: the syslog stamp (May 19 18:14:43, year 2025 assumed) minus the kernel stamp (139.2 s). */
export const BOOT_MS = Date.UTC(2025, 4, 19, 18, 12, 24);

/** @type {{ usec: number, text: string }[]} */
const records = readFileSync(SRC, 'utf8')
  .split('\n')
  .filter((l) => l.includes(' kernel: ['))
  .map((l) => {
    const m = /kernel: \[ *(\d+)\.(\d{6})\] (.*)$/.exec(l);
    if (!m) throw new Error(`no kernel stamp: ${l}`);
    return { usec: Number(m[1]) * 1e6 + Number(m[2]), text: m[3] };
  });

const pad = (/** @type {number} */ n, w = 2) => String(n).padStart(w, '0');
const wall = (/** @type {number} */ usec) => new Date(BOOT_MS + Math.floor(usec / 1000));
const micro = (/** @type {number} */ usec) => pad((BOOT_MS * 1000 + usec) % 1e6, 6);
const mono = (/** @type {number} */ usec) => `[${(usec / 1e6).toFixed(6).padStart(12)}]`;
const hms = (/** @type {Date} */ d) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
const isoSec = (/** @type {Date} */ d) => d.toISOString().slice(0, 19);
/** `%a %b %e` in a locale (glibc abbreviations). */
const LOCALES = {
  de: {
    day: ['So', 'Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa'],
    mon: ['Jan', 'Feb', 'Mär', 'Apr', 'Mai', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dez'],
  },
  fr: {
    day: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
    mon: ['janv.', 'févr.', 'mars', 'avril', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  },
  ru: {
    day: ['Вс', 'Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб'],
    mon: ['янв', 'фев', 'мар', 'апр', 'мая', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
  },
  ja: {
    day: ['日', '月', '火', '水', '木', '金', '土'],
    mon: [' 1月', ' 2月', ' 3月', ' 4月', ' 5月', ' 6月', ' 7月', ' 8月', ' 9月', '10月', '11月', '12月'],
  },
};
const dmesgT = (/** @type {keyof typeof LOCALES} */ loc, /** @type {Date} */ d) =>
  `[${LOCALES[loc].day[d.getUTCDay()]} ${LOCALES[loc].mon[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${hms(d)} ${d.getUTCFullYear()}]`;
const prio = (/** @type {string} */ t) => (t.includes('Killed process') ? 3 : 4);

/** @type {Record<string, (r: { usec: number, text: string }, i: number) => string>} */
const FORMATS = {
  'raw.dmesg': (r) => `${mono(r.usec)} ${r.text}`,
  'kmsg.txt': (r, i) => `${prio(r.text)},${2210 + i},${r.usec},-;${r.text}`,
  'journal-short-iso.log': (r) => `${isoSec(wall(r.usec))}+0000 ${HOST} kernel: ${r.text}`,
  'journal-short-iso-precise.log': (r) => `${isoSec(wall(r.usec))}.${micro(r.usec)}+00:00 ${HOST} kernel: ${r.text}`,
  'journal-json.jsonl': (r, i) =>
    JSON.stringify({
      __CURSOR: `s=1f2e3d4c5b6a49788796a5b4c3d2e1f0;i=${(0x5a10 + i).toString(16)};b=0c1d2e3f405162738495a6b7c8d9eaf0;m=${(r.usec + 900).toString(16)};t=${(BOOT_MS * 1000 + r.usec + 900).toString(16)};x=0`,
      __REALTIME_TIMESTAMP: String(BOOT_MS * 1000 + r.usec + 900),
      __MONOTONIC_TIMESTAMP: String(r.usec + 900),
      _BOOT_ID: '0c1d2e3f405162738495a6b7c8d9eaf0',
      _TRANSPORT: 'kernel',
      PRIORITY: String(prio(r.text)),
      SYSLOG_FACILITY: '0',
      SYSLOG_IDENTIFIER: 'kernel',
      _SOURCE_MONOTONIC_TIMESTAMP: String(r.usec),
      _HOSTNAME: HOST,
      // journald writes a field with non-printable or non-UTF-8 bytes as an array of bytes; the call trace's
      // `<TASK>` marker line is given that way here to exercise the form (its bytes are plain UTF-8).
      MESSAGE: r.text.trim() === '<TASK>' ? [...Buffer.from(r.text, 'utf8')] : r.text,
    }),
  'rfc5424-syslog.log': (r) =>
    `<${prio(r.text)}>1 ${isoSec(wall(r.usec))}.${micro(r.usec)}+00:00 ${HOST} kernel - - - ${r.text}`,
  'dmesg-T-de.log': (r) => `${dmesgT('de', wall(r.usec))} ${r.text}`,
  'dmesg-T-fr.log': (r) => `${dmesgT('fr', wall(r.usec))} ${r.text}`,
  'dmesg-T-ru.log': (r) => `${dmesgT('ru', wall(r.usec))} ${r.text}`,
  'dmesg-T-ja.log': (r) => `${dmesgT('ja', wall(r.usec))} ${r.text}`,
  // One paste mixing them, line by line (a person concatenating what several commands printed).
  'mixed.log': (r, i) => {
    const all = ['kmsg.txt', 'journal-json.jsonl', 'dmesg-T-de.log', 'journal-short-iso-precise.log', 'raw.dmesg'];
    return FORMATS[/** @type {string} */ (all[i % all.length])](r, i);
  },
};

for (const [name, frame] of Object.entries(FORMATS)) {
  let lines = records.map(frame);
  if (name === 'kmsg.txt') {
    // A device record with its dictionary continuation lines, as in Documentation/ABI/testing/dev-kmsg.
    lines = [
      '7,2208,424069,-;pci_root PNP0A03:00: host bridge window [io  0x0000-0x0cf7] (ignored)',
      ' SUBSYSTEM=acpi',
      ' DEVICE=+acpi:PNP0A03:00',
      ...lines,
    ];
  }
  writeFileSync(`${OUT}/${name}`, lines.join('\n') + '\n');
}
console.log(`${records.length} records → ${Object.keys(FORMATS).length} files in ${OUT}/`);
