/**
 * Text from a manifest (names, values) made safe for hover markdown: it renders as the text it
 * is, never as a link, an image, HTML, emphasis or a new block. Long text is shortened.
 */

/** Longest manifest text shown in a hover; longer text ends with "…". */
const MAX_SHOWN = 200;

function oneLine(s: string): string {
  // A line break could start a new block (a heading, a list, a fenced code block); a control
  // character has no business in a hover.
  const flat = s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  return flat.length > MAX_SHOWN ? `${flat.slice(0, MAX_SHOWN)}…` : flat;
}

/**
 * Plain text: every ASCII punctuation character that can start markdown syntax (emphasis,
 * code, links and images, autolinks and bare URLs, HTML, entities, strikethrough, tables) is
 * backslash-escaped, which CommonMark renders as the character itself.
 */
export function mdText(s: string): string {
  return oneLine(s).replace(/[\\`*_{}[\]()<>!#+.:|~&$=]/g, '\\$&');
}

/** An inline code span holding `s` verbatim: the fence is one backtick longer than the longest run inside. */
export function mdCode(s: string): string {
  const text = oneLine(s);
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // A leading or trailing backtick (or space) needs a space of padding, which CommonMark strips.
  const pad =
    text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '')
      ? ' '
      : '';
  return text.length === 0 ? '` `' : `${fence}${pad}${text}${pad}${fence}`;
}
