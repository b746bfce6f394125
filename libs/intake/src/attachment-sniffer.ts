import { fileTypeFromBuffer } from 'file-type';
import type { IncomingFile } from './rules/attachment-rules';

/** Decides each file's type from its first bytes; the name and declared type are ignored. */
export async function sniffFiles(files: { filename: string; bytes: Buffer }[]): Promise<IncomingFile[]> {
  return Promise.all(
    files.map(async (file) => ({ ...file, sniffedType: (await fileTypeFromBuffer(file.bytes))?.mime })),
  );
}
