/** Encodes fields and files as the browser would post the public form. */
export async function multipartBody(
  fields: Record<string, string>,
  files: { name: string; filename: string; bytes: Buffer; type?: string }[] = [],
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files) {
    form.append(
      file.name,
      new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }),
      file.filename,
    );
  }
  const request = new Request('http://local/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type') as string },
  };
}

// A valid 1x1 PNG.
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The hidden one-time token of a rendered form. */
export function formTokenOf(html: string): string {
  const match = html.match(/name="formToken" value="([^"]+)"/);
  if (!match) throw new Error('no form token in page');
  return match[1];
}
