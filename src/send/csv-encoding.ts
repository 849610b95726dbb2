/** What to do with a file in another encoding, ending every refusal. */
const SAVE_AS_UTF8 = 'save it as UTF-8 (in Excel: "CSV UTF-8"; in LibreOffice: character set "Unicode (UTF-8)") and import it again';

/**
 * The text of a CSV file from its bytes. UTF-8 (with or without a byte order
 * mark) and UTF-16 (with a byte order mark, or without one when its zero
 * bytes show the byte order) are read; anything else — Latin-1,
 * Windows-1252 or -1256 from an old Excel, a binary file — is refused with
 * the line of its first undecodable byte, because guessing between those
 * code pages would garble names without a word.
 *
 * @param bytes The file's content.
 * @param file  The file's name, for the error.
 * @throws {Error} one line naming the file, the line and what to do.
 */
export function decodeCsv(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode('utf-16le', bytes.subarray(2), file);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode('utf-16be', bytes.subarray(2), file);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decode('utf-8', bytes.subarray(3), file);
  const order = utf16Order(bytes);
  const text = order ? new TextDecoder(order).decode(bytes) : undefined;
  // eslint-disable-next-line no-control-regex
  if (text !== undefined && text.includes(',') && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/.test(text)) return text;
  if (bytes.includes(0)) throw new Error(`${file} holds zero bytes, so it is no CSV text (a spreadsheet or another binary file?): ${SAVE_AS_UTF8}`);
  return decode('utf-8', bytes, file);
}

/** Decodes strictly, or names the line where the bytes stop being `encoding`. */
function decode(encoding: 'utf-8' | 'utf-16le' | 'utf-16be', bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    if (encoding !== 'utf-8') throw new Error(`${file} is damaged ${encoding.toUpperCase()} text: ${SAVE_AS_UTF8}`);
    const bad = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, bad).filter((byte) => byte === 0x0a).length + 1;
    throw new Error(`${file}:${line}: the file is not UTF-8 (byte 0x${bytes[bad]?.toString(16).padStart(2, '0')}; Latin-1, Windows-1252 or Windows-1256?): ${SAVE_AS_UTF8}`);
  }
}

/**
 * The byte order of UTF-16 text without a byte order mark: CSV text is
 * mostly ASCII (commas, line breaks, addresses), whose UTF-16 has a zero in
 * every other byte.
 */
function utf16Order(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const sample = bytes.subarray(0, 4096);
  if (sample.length < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let index = 0; index + 1 < sample.length; index += 2) {
    if (sample[index] === 0) evenZeros += 1;
    if (sample[index + 1] === 0) oddZeros += 1;
  }
  const pairs = Math.floor(sample.length / 2);
  if (oddZeros >= pairs / 4 && oddZeros > evenZeros * 4) return 'utf-16le';
  if (evenZeros >= pairs / 4 && evenZeros > oddZeros * 4) return 'utf-16be';
  return undefined;
}

/**
 * The offset of the first byte of the first sequence that is not UTF-8 (a
 * Latin-1 `ë` is a lone lead byte followed by no continuation bytes).
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let index = 0; index < bytes.length; ) {
    const lead = bytes[index]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return index;
    for (let next = 1; next < length; next += 1) {
      const byte = bytes[index + next];
      if (byte === undefined || byte < 0x80 || byte > 0xbf) return index;
    }
    index += length;
  }
  return 0;
}
