import { basename } from 'node:path';
import { BotgateError } from '../errors.js';

// Device names Windows refuses as file names, with or without an extension.
const reserved = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

// Bidirectional controls make `invoice‮fdp.exe` read as `invoice.exe.pdf` in a listing.
const bidiControls = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A client's file name made safe to write inside a job's folder: no directories (so no `..`
 * escape), no control, bidirectional or reserved characters, no device names, no hidden names,
 * at most 200 bytes.
 * @throws BotgateError INVALID_FILE for a name that is `.`, `..`, or nothing once made safe
 */
export const sanitizeFileName = (name: string): string => {
  const base = basename(name.replaceAll('\\', '/')).replace(bidiControls, '');
  if (base === '.' || base === '..' || base.replace(/[\u0000-\u001f\u007f\s.]/g, '') === '') {
    throw new BotgateError('INVALID_FILE', `the upload named ${JSON.stringify(name)} has no usable file name`, {
      file: name,
    });
  }
  let safe = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .trim()
    .replace(/^\.+/, '_')
    .replace(/[. ]+$/, '');
  if (reserved.test(safe)) safe = `_${safe}`;
  while (Buffer.byteLength(safe) > 200) safe = safe.slice(0, -1);
  return safe;
};

/** `report.pdf`, then `report (1).pdf`, … : two uploads with one name both land. */
export const uniqueFileName = (name: string, taken: Set<string>): string => {
  if (!taken.has(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; ; n++) {
    const candidate = `${stem} (${n})${extension}`;
    if (!taken.has(candidate)) return candidate;
  }
};
