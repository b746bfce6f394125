import { foldDiacritics } from '@gopy/text';

// Vietnamese-aware text similarity for grouping opinions, as plain functions.
//
// Vietnamese writes one syllable per space-separated token and most words are one or two
// syllables, so we do not segment words: we fold diacritics (people type with and without
// them), keep syllables minus a short stopword list, and add adjacent syllable bigrams
// ("o ga" = ổ gà, "den duong" = đèn đường) which carry most of the two-syllable words.
// Documents are compared by TF-IDF cosine; Jaccard is offered for small sets.

/**
 * Folded function words and feedback boilerplate. Deliberately short: a folded syllable often
 * stands for several words ("duong" = đường/dương, "o" = ở/ổ/ô), so only syllables that are
 * almost never the content of a complaint are listed.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'va la cua cac nhung voi da dang se thi ma o trong khi nay duoc co khong mot nhieu rat cung ' +
    've de tu nguoi toi xin kinh gui nghi kien phan anh mong gop ' +
    'nhu nen neu vi hay hoac lai len ra vao qua roi van chi ai phai bi vay cai hon them moi ' +
    'em ong ba chau minh chu bac gi nao sao bao nhe oi day kia ay nua lam het'
  ).split(' '),
);

// Chat abbreviations, folded, expanded before stopwords and bigrams.
const ABBREVIATIONS = new Map<string, string>(
  Object.entries({
    ko: 'khong',
    k: 'khong',
    kh: 'khong',
    khg: 'khong',
    hok: 'khong',
    dc: 'duoc',
    ng: 'nguoi',
    vs: 'voi',
    j: 'gi',
    r: 'roi',
    mk: 'minh',
    mik: 'minh',
    bv: 'benh vien',
    bhyt: 'bao hiem y te',
    tp: 'thanh pho',
    hs: 'hoc sinh',
    tncn: 'thu nhap ca nhan',
    bus: 'buyt',
    bt: 'binh thuong',
    sdt: 'dien thoai',
  }),
);

/** Folds one text to lower-case ASCII-ish syllables: NFC, lower, diacritics and đ folded. */
export function foldForSearch(text: string): string {
  return foldDiacritics(text.normalize('NFC').toLowerCase());
}

// How a character splits a folded text, the same as the expressions this replaces
// ([^\p{L}\p{N}\s]+|\n+ between clauses, [^\p{L}\p{N}]+ between syllables) but scanned by
// hand: splitting with Unicode property classes was most of the cost of a week's tokens.
const SYLLABLE = 1;
const SPACE = 2;
const BREAK = 3;
const kindsBmp = new Uint8Array(0x10000); // 0: not yet known
const kindsAstral = new Map<number, number>();

function kindOf(codePoint: number): number {
  let kind = codePoint < 0x10000 ? kindsBmp[codePoint] : (kindsAstral.get(codePoint) ?? 0);
  if (kind === 0) {
    const ch = String.fromCodePoint(codePoint);
    kind = /[\p{L}\p{N}]/u.test(ch) ? SYLLABLE : ch !== '\n' && /\s/u.test(ch) ? SPACE : BREAK;
    if (codePoint < 0x10000) kindsBmp[codePoint] = kind;
    else kindsAstral.set(codePoint, kind);
  }
  return kind;
}

/**
 * The syllables of a text split into clauses (punctuation ends a clause, so no bigram crosses
 * a comma or a full stop), abbreviations expanded, nothing dropped yet.
 */
export function syllableClauses(text: string): string[][] {
  const folded = foldForSearch(text);
  const clauses: string[][] = [];
  let clause: string[] = [];
  let start = -1; // where the current syllable began
  for (let i = 0; i <= folded.length;) {
    const codePoint = i < folded.length ? (folded.codePointAt(i) as number) : -1;
    const kind = codePoint === -1 ? BREAK : kindOf(codePoint);
    if (kind === SYLLABLE) {
      if (start === -1) start = i;
    } else {
      if (start !== -1) {
        const syllable = folded.slice(start, i);
        const expanded = ABBREVIATIONS.get(syllable);
        if (expanded === undefined) clause.push(syllable);
        else clause.push(...expanded.split(' '));
        start = -1;
      }
      if (kind === BREAK && clause.length > 0) {
        clauses.push(clause);
        clause = [];
      }
    }
    i += codePoint > 0xffff ? 2 : 1;
  }
  return clauses;
}

function isContent(syllable: string): boolean {
  if (STOPWORDS.has(syllable)) return false;
  return syllable.length > 1 || /^\p{N}$/u.test(syllable);
}

/**
 * Tokens of a text for similarity: folded syllables that are not stopwords (single letters
 * dropped, digits kept), then adjacent syllable bigrams joined by "_" where at least one
 * side is a content syllable ("o_ga" for ổ gà; "cua_toi" is dropped). Repeats are kept (they
 * are term frequencies).
 */
export function tokens(text: string): string[] {
  const unigrams: string[] = [];
  const bigrams: string[] = [];
  for (const clause of syllableClauses(text)) {
    for (let i = 0; i < clause.length; i++) {
      const s = clause[i];
      const content = isContent(s);
      if (content) unigrams.push(s);
      if (i + 1 < clause.length) {
        const next = clause[i + 1];
        if (content || isContent(next)) bigrams.push(`${s}_${next}`);
      }
    }
  }
  return [...unigrams, ...bigrams];
}

/** A sparse vector: term -> weight. */
export type SparseVector = Map<string, number>;

export interface TfIdf {
  /** One L2-normalised vector per document, in input order (empty map for an empty document). */
  vectors: SparseVector[];
  /** Inverse document frequency of every term seen. */
  idf: Map<string, number>;
  /** Document frequency of every term seen. */
  df: Map<string, number>;
}

/**
 * TF-IDF vectors with sublinear term frequency (1 + ln tf) and smoothed idf
 * (ln((1 + N) / (1 + df)) + 1), L2-normalised so that a dot product is a cosine.
 * Terms found in a single document are dropped when `dropHapax` is set (they cannot make two
 * documents similar, they only lower the cosine of long texts). O(total tokens).
 */
export function tfidfVectors(docs: readonly (readonly string[])[], options: { dropHapax?: boolean } = {}): TfIdf {
  const df = new Map<string, number>();
  const counts = docs.map((doc) => {
    const tf = new Map<string, number>();
    for (const t of doc) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    return tf;
  });
  const n = docs.length;
  const idf = new Map<string, number>();
  for (const [t, d] of df) idf.set(t, Math.log((1 + n) / (1 + d)) + 1);
  const vectors = counts.map((tf) => {
    const v: SparseVector = new Map();
    let norm = 0;
    for (const [t, c] of tf) {
      if (options.dropHapax && (df.get(t) ?? 0) < 2) continue;
      const w = (1 + Math.log(c)) * (idf.get(t) ?? 0);
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });
  return { vectors, idf, df };
}

/** Dot product of two sparse vectors; the cosine when both are L2-normalised. */
export function dot(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [t, w] of small) {
    const other = large.get(t);
    if (other !== undefined) sum += w * other;
  }
  return sum;
}

/** Cosine similarity of two sparse vectors (normalised or not); 0 when either is empty. */
export function cosine(a: SparseVector, b: SparseVector): number {
  let na = 0;
  let nb = 0;
  for (const w of a.values()) na += w * w;
  for (const w of b.values()) nb += w * w;
  if (na === 0 || nb === 0) return 0;
  return dot(a, b) / Math.sqrt(na * nb);
}

/** Jaccard similarity of two token sets (repeats ignored); 0 when both are empty. */
export function jaccard(a: Iterable<string>, b: Iterable<string>): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size === 0 && sb.size === 0) return 0;
  let inter = 0;
  for (const t of sa) if (sb.has(t)) inter++;
  return inter / (sa.size + sb.size - inter);
}
