import { Transform } from 'class-transformer';
import { normalizeLine, normalizeText } from '@gopy/text';

// Empty optional fields mean "not given"; every text is NFC before it is checked.
export const OneLine = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const line = normalizeLine(value);
    return line === '' ? undefined : line;
  });

export const MultiLine = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const text = normalizeText(value).trim();
    return text === '' ? undefined : text;
  });
