import { type SparseVector, dot, foldForSearch, tfidfVectors, tokens } from './similarity';

// Hot issues: groups of similar opinions sent by different people in one week.
//
// 1. Every opinion becomes a TF-IDF vector of folded syllables and syllable bigrams
//    (see similarity.ts), weighted over the week's opinions.
// 2. Blocking: only pairs sharing at least one term that is not too common (document
//    frequency <= max(50, 3% of the week)) are compared; others have a cosine near zero.
//    The database can fetch the same candidates with pg_trgm on folded text instead.
// 3. Average-link agglomeration over the sparse similarity graph: repeatedly merge the two
//    groups with the highest mean pairwise cosine (pairs not compared count as 0) while that
//    mean is at least `threshold`. Average link does not chain the way connected components
//    do: one opinion about "đèn đường" (street lights) and "đường" (roads) does not glue
//    the two issues together.
// 4. A group is hot when at least `minSize` distinct submitters are in it.
//
// Cost for N opinions of L terms, B candidate pairs and E kept edges: O(N·L) for vectors,
// O(B·L) for the cosines (B is bounded by the document-frequency cap, about N·cap in the
// worst case), O(E log E) for the merges. Dense issues cost most: a synthetic week of 5,000
// near-copies of the corpus (issues of ~200 opinions each, ~700,000 edges) takes 4-7 s on two
// busy CPUs; the 232-opinion corpus about 0.1 s. Run it in the worker, not in a request.

export interface OpinionForClustering {
  id: string;
  text: string;
  /** Whoever sent it (a contact hash or account id); one person counts once. */
  submitterKey: string;
  unitCode?: string | null;
}

export interface HotCluster {
  /** Opinion ids in input order. */
  ids: string[];
  size: number;
  distinctSubmitters: number;
  /** Distinct unit codes, sorted. */
  units: string[];
  /** The most characteristic words, as people wrote them (most common spelling). */
  topTerms: string[];
  /** The opinion closest to the group's centroid. */
  representativeId: string;
}

export interface ClusterOptions {
  /** Minimum mean pairwise cosine for two groups to merge (tuned on the labelled corpus). */
  threshold?: number;
  /** Minimum distinct submitters for a group to be hot. */
  minSize?: number;
  /** How many top terms to report. */
  topTerms?: number;
}

export const DEFAULT_THRESHOLD = 0.12;
export const DEFAULT_MIN_SIZE = 3;

// Pairs below this cosine are not kept as edges (they would only lower averages further).
const EDGE_FLOOR = 0.05;

/** Groups of similar opinions (all of them, hot or not), as lists of indexes into `texts`. */
export function groupTexts(
  texts: readonly string[],
  threshold = DEFAULT_THRESHOLD,
): { groups: number[][]; vectors: SparseVector[] } {
  const n = texts.length;
  const { vectors, df } = tfidfVectors(
    texts.map((t) => tokens(t)),
    { dropHapax: true },
  );

  // Blocking: postings (document, weight) of terms rare enough to be informative. The cosine
  // of a candidate pair is accumulated over its shared rare terms, then completed with the
  // few common terms of the first document, so it is exact for every pair compared.
  const cap = Math.max(50, Math.ceil(0.03 * n));
  const postings = new Map<string, { docs: number[]; weights: number[] }>();
  const common: [string, number][][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (const [t, w] of vectors[i]) {
      if ((df.get(t) ?? 0) > cap) {
        common[i].push([t, w]);
        continue;
      }
      let list = postings.get(t);
      if (!list) postings.set(t, (list = { docs: [], weights: [] }));
      list.docs.push(i);
      list.weights.push(w);
    }
  }

  // Sparse graph: neighbours[i] maps j to the summed cosine between groups i and j.
  const neighbours: Map<number, number>[] = Array.from({ length: n }, () => new Map<number, number>());
  const partial = new Float64Array(n);
  const touched: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const [t, w] of vectors[i]) {
      const list = postings.get(t);
      if (!list) continue;
      const { docs, weights } = list;
      // Postings are in document order: start after i.
      for (let k = docs.length - 1; k >= 0 && docs[k] > i; k--) {
        const j = docs[k];
        if (partial[j] === 0) touched.push(j);
        partial[j] += w * weights[k];
      }
    }
    for (const j of touched) {
      let s = partial[j];
      partial[j] = 0;
      for (const [t, w] of common[i]) s += w * (vectors[j].get(t) ?? 0);
      if (s >= EDGE_FLOOR) {
        neighbours[i].set(j, s);
        neighbours[j].set(i, s);
      }
    }
    touched.length = 0;
  }

  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const alive = new Uint8Array(n).fill(1);
  const version = new Int32Array(n);
  const heap = new MaxHeap();
  for (let i = 0; i < n; i++)
    for (const [j, s] of neighbours[i]) if (j > i && s >= threshold) heap.push([s, i, j, 0, 0]);

  for (let entry = heap.pop(); entry && entry[0] >= threshold; entry = heap.pop()) {
    const [, a, b, va, vb] = entry;
    if (!alive[a] || !alive[b] || version[a] !== va || version[b] !== vb) continue;
    // Merge b into a.
    for (const [c, s] of neighbours[b]) {
      neighbours[c].delete(b);
      if (c === a) continue;
      const sum = (neighbours[a].get(c) ?? 0) + s;
      neighbours[a].set(c, sum);
      neighbours[c].set(a, sum);
    }
    neighbours[a].delete(b);
    neighbours[b].clear();
    members[a].push(...members[b]);
    members[b] = [];
    alive[b] = 0;
    version[a]++;
    const size = members[a].length;
    for (const [c, sum] of neighbours[a]) {
      const mean = sum / (size * members[c].length);
      if (mean >= threshold) heap.push([mean, a, c, version[a], version[c]]);
    }
  }

  const groups: number[][] = [];
  for (let i = 0; i < n; i++) if (alive[i]) groups.push(members[i].sort((x, y) => x - y));
  return { groups, vectors };
}

/**
 * Hot issues of a week: groups of similar opinions from at least `minSize` distinct
 * submitters, largest first (by distinct submitters, then size, then first id).
 */
export function clusterOpinions(items: readonly OpinionForClustering[], options: ClusterOptions = {}): HotCluster[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const minSize = options.minSize ?? DEFAULT_MIN_SIZE;
  const topCount = options.topTerms ?? 5;
  const { groups, vectors } = groupTexts(
    items.map((item) => item.text),
    threshold,
  );

  const hot: HotCluster[] = [];
  for (const group of groups) {
    const submitters = new Set(group.map((i) => items[i].submitterKey));
    if (submitters.size < minSize) continue;
    const centroid: SparseVector = new Map();
    for (const i of group) for (const [t, w] of vectors[i]) centroid.set(t, (centroid.get(t) ?? 0) + w / group.length);
    let representative = group[0];
    let best = -Infinity;
    for (const i of group) {
      const s = dot(vectors[i], centroid);
      if (s > best) [best, representative] = [s, i];
    }
    hot.push({
      ids: group.map((i) => items[i].id),
      size: group.length,
      distinctSubmitters: submitters.size,
      units: [...new Set(group.map((i) => items[i].unitCode).filter((u): u is string => !!u))].sort(),
      topTerms: topTerms(
        centroid,
        group.map((i) => items[i].text),
        topCount,
      ),
      representativeId: items[representative].id,
    });
  }
  return hot.sort(
    (a, b) => b.distinctSubmitters - a.distinctSubmitters || b.size - a.size || compareIds(a.ids[0], b.ids[0]),
  );
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Function words as written: a bigram containing one ("ở tập", "karaoke ở") is not shown,
// while "ổ gà" (same folded syllable as "ở") is.
const SHOWN_STOPWORDS = new Set(
  (
    'ở và là của các những cho với đã đang sẽ thì mà tại trong khi này do được có không một nhiều rất cũng ' +
    'về để từ đến người chúng tôi bạn xin như nên nếu vì hay hoặc lại lên ra vào quá rồi vẫn chỉ ai phải bị ' +
    'vậy thế cái hơn thêm mới mọi mỗi cả hết lắm làm nữa o va la cua cac cho voi da co khong mot ve de tu ' +
    'nguoi toi nhu nen hay lai len ra vao qua roi van chi phai bi het đề nghị kiến mong góp phản ánh giúp'
  ).split(' '),
);

/**
 * The heaviest centroid terms, a bigram preferred to its own syllable when it weighs at least
 * half as much, skipping a term whose syllables are all already shown; each written in its
 * most common spelling among the group's texts ("den_duong" -> "đèn đường").
 */
function topTerms(centroid: SparseVector, texts: readonly string[], count: number): string[] {
  const spellings = surfaceForms(texts);
  const spell = (term: string) => {
    const forms = spellings.get(term);
    if (!forms) return null; // an expanded abbreviation: nobody wrote it that way
    const [best] = [...forms.entries()].sort((a, b) => b[1] - a[1] || accents(b[0]) - accents(a[0]));
    return best[0].split(' ').some((w) => SHOWN_STOPWORDS.has(w)) ? null : best[0];
  };
  const ranked = [...centroid.entries()].sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0]));
  const shown = new Set<string>();
  const out: string[] = [];
  for (const [term, weight] of ranked) {
    if (out.length >= count) break;
    let chosen = term;
    if (!term.includes('_')) {
      const bigram = ranked.find(
        ([t, w]) => w >= weight / 2 && t.split('_').includes(term) && t.includes('_') && spell(t) !== null,
      );
      if (bigram) chosen = bigram[0];
    }
    const syllables = chosen.split('_');
    if (syllables.every((s) => shown.has(s))) continue;
    const written = spell(chosen);
    if (written === null) continue;
    syllables.forEach((s) => shown.add(s));
    out.push(written);
  }
  return out;
}

function accents(value: string): number {
  return [...value].filter((c) => c > '\u007f').length;
}

/** Folded unigram and bigram -> lower-case NFC spellings seen, with counts. */
function surfaceForms(texts: readonly string[]): Map<string, Map<string, number>> {
  const forms = new Map<string, Map<string, number>>();
  const add = (key: string, surface: string) => {
    let m = forms.get(key);
    if (!m) forms.set(key, (m = new Map<string, number>()));
    m.set(surface, (m.get(surface) ?? 0) + 1);
  };
  for (const text of texts) {
    for (const clause of text
      .normalize('NFC')
      .toLowerCase()
      .split(/[^\p{L}\p{N}\s]+|\n+/u)) {
      const words = clause.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
      words.forEach((w, i) => {
        const folded = foldForSearch(w);
        add(folded, w);
        if (i + 1 < words.length) add(`${folded}_${foldForSearch(words[i + 1])}`, `${w} ${words[i + 1]}`);
      });
    }
  }
  return forms;
}

type HeapEntry = [score: number, a: number, b: number, versionA: number, versionB: number];

/** A binary max-heap on the first element of each entry. */
class MaxHeap {
  private readonly items: HeapEntry[] = [];

  push(entry: HeapEntry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent][0] >= items[i][0]) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }

  pop(): HeapEntry | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop() as HeapEntry;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let largest = i;
        if (l < items.length && items[l][0] > items[largest][0]) largest = l;
        if (r < items.length && items[r][0] > items[largest][0]) largest = r;
        if (largest === i) break;
        [items[largest], items[i]] = [items[i], items[largest]];
        i = largest;
      }
    }
    return top;
  }
}
