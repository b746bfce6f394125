// Quality of a clustering against a labelled truth, as plain numbers.
//
// Pairwise: over pairs of items, precision = share of pairs placed together that truly belong
// together, recall = share of true pairs that were placed together.
// B-cubed: per item, precision = share of its predicted group in its true group, recall =
// share of its true group in its predicted group; averaged over items.
// Items absent from every predicted group, and items whose truth is null (noise), are
// singletons.

export interface LabelledItem {
  id: string;
  cluster: string | null;
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

export interface QualityReport {
  pairwise: Scores & { predictedPairs: number; truePairs: number; correctPairs: number };
  bcubed: Scores;
  /** Predicted groups of two or more items. */
  predictedClusters: number;
  /** True groups of two or more items. */
  trueClusters: number;
  /** True groups whose best-matching predicted group holds at least half of them and is mostly theirs. */
  matchedClusters: number;
}

const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const pairs = (k: number) => (k * (k - 1)) / 2;

/** Scores `predicted` (groups of ids) against `truth`; ids not in `truth` are ignored. */
export function evaluateClusters(
  predicted: readonly (readonly string[])[],
  truth: readonly LabelledItem[],
): QualityReport {
  const trueOf = new Map<string, string>();
  for (const item of truth) trueOf.set(item.id, item.cluster ?? `\u0000${item.id}`);
  const predOf = new Map<string, string>();
  predicted.forEach((group, g) => group.forEach((id) => trueOf.has(id) && predOf.set(id, `p${g}`)));
  for (const item of truth) if (!predOf.has(item.id)) predOf.set(item.id, `\u0000${item.id}`);

  const trueSize = new Map<string, number>();
  const predSize = new Map<string, number>();
  const both = new Map<string, number>();
  for (const item of truth) {
    const t = trueOf.get(item.id) as string;
    const p = predOf.get(item.id) as string;
    trueSize.set(t, (trueSize.get(t) ?? 0) + 1);
    predSize.set(p, (predSize.get(p) ?? 0) + 1);
    both.set(`${p}\u0001${t}`, (both.get(`${p}\u0001${t}`) ?? 0) + 1);
  }

  let truePairs = 0;
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const k of trueSize.values()) truePairs += pairs(k);
  for (const k of predSize.values()) predictedPairs += pairs(k);
  for (const k of both.values()) correctPairs += pairs(k);
  const pp = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const pr = truePairs === 0 ? 1 : correctPairs / truePairs;

  let bp = 0;
  let br = 0;
  for (const item of truth) {
    const t = trueOf.get(item.id) as string;
    const p = predOf.get(item.id) as string;
    const common = both.get(`${p}\u0001${t}`) as number;
    bp += common / (predSize.get(p) as number);
    br += common / (trueSize.get(t) as number);
  }
  const n = truth.length || 1;

  let matched = 0;
  for (const [t, size] of trueSize) {
    if (size < 2) continue;
    let best = 0;
    let bestGroup = '';
    for (const [key, k] of both) {
      const [p, tt] = key.split('\u0001');
      if (tt === t && k > best) [best, bestGroup] = [k, p];
    }
    if (best * 2 >= size && best * 2 > (predSize.get(bestGroup) ?? 0) && best >= 2) matched++;
  }

  return {
    pairwise: { precision: pp, recall: pr, f1: f1(pp, pr), predictedPairs, truePairs, correctPairs },
    bcubed: { precision: bp / n, recall: br / n, f1: f1(bp / n, br / n) },
    predictedClusters: [...predSize.values()].filter((k) => k >= 2).length,
    trueClusters: [...trueSize.values()].filter((k) => k >= 2).length,
    matchedClusters: matched,
  };
}
