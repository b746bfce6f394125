import type { FastifyRequest } from 'fastify';
import { GopyError } from '@gopy/errors';

export interface MultipartForm {
  fields: Record<string, string>;
  files: { filename: string; bytes: Buffer }[];
  // Fields longer than the part limit: reported as too long, never silently cut.
  truncated: string[];
  tooManyFiles: boolean;
}

/**
 * Reads the public form. A file over the size limit is read one byte past the limit so
 * the policy can name it (the plugin is registered with throwFileSizeLimit: false); more files than allowed stop the reading and are reported.
 */
export async function readMultipartForm(
  request: FastifyRequest,
  limits: { maxBytes: number; maxFiles: number },
): Promise<MultipartForm> {
  if (!request.isMultipart()) throw new GopyError('unsupported_media_type');
  const form: MultipartForm = { fields: {}, files: [], truncated: [], tooManyFiles: false };
  try {
    const parts = request.parts({
      limits: { fileSize: limits.maxBytes + 1, files: limits.maxFiles, fieldSize: 64 * 1024, fields: 40, parts: 60 },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // A file input left empty still sends a part with no name and no bytes.
        if (part.filename || bytes.length > 0) form.files.push({ filename: part.filename, bytes });
      } else {
        if (part.valueTruncated) form.truncated.push(part.fieldname);
        form.fields[part.fieldname] = typeof part.value === 'string' ? part.value : '';
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code !== 'FST_FILES_LIMIT') throw error;
    form.tooManyFiles = true;
  }
  return form;
}
