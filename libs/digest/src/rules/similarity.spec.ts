import { cosine, jaccard, tfidfVectors, tokens } from './similarity';

describe('tokens', () => {
  it('folds diacritics and đ, lower-cases, and reads NFD like NFC', () => {
    const nfc = tokens('Đường Tô Hiệu có nhiều ổ gà');
    expect(tokens('Đường Tô Hiệu có nhiều ổ gà'.normalize('NFD'))).toEqual(nfc);
    expect(tokens('duong to hieu co nhieu o ga')).toEqual(nfc);
    expect(nfc).toEqual(expect.arrayContaining(['duong', 'to', 'hieu', 'ga', 'duong_to', 'o_ga']));
  });

  it('drops stopwords and single letters but keeps digits and content words', () => {
    const t = tokens('Tôi xin phản ánh: đèn đường ở ngõ 68 và ngõ 9 bị hỏng, x y z');
    expect(t).toEqual(expect.arrayContaining(['den', 'duong', 'ngo', '68', '9', 'hong', 'den_duong', 'ngo_68']));
    for (const stop of ['toi', 'xin', 'o', 'va', 'bi', 'x', 'phan', 'anh']) expect(t).not.toContain(stop);
    // folded homographs of content words stay: chợ/chó/chờ (cho), đèn (den), sổ đỏ (do)
    expect(tokens('chợ, chó, đèn, sổ đỏ')).toEqual(['cho', 'cho', 'den', 'so', 'do', 'so_do']);
    // a bigram of two stopwords says nothing
    expect(t).not.toContain('toi_xin');
  });

  it('does not build bigrams across punctuation', () => {
    expect(tokens('mất điện, nước máy')).not.toContain('dien_nuoc');
    expect(tokens('mất điện nước máy')).toContain('dien_nuoc');
  });

  it('expands chat abbreviations before dropping stopwords', () => {
    expect(tokens('ko dc kham o bv')).toEqual(['kham', 'benh', 'vien', 'duoc_kham', 'kham_o', 'o_benh', 'benh_vien']);
    expect(tokens('ko dc')).toEqual([]);
  });

  it('reads words that are names of object properties as words', () => {
    expect(tokens('constructor toString __proto__')).toEqual([
      'constructor',
      'tostring',
      'proto',
      'constructor_tostring',
    ]);
  });
});

describe('tfidfVectors and cosine', () => {
  const docs = [
    'Đèn đường ngõ 68 bị hỏng',
    'den duong ngo 68 hong roi',
    'Đường Tô Hiệu nhiều ổ gà',
    'Tiền điện tháng 6 tăng gấp đôi',
  ].map(tokens);
  const { vectors, idf } = tfidfVectors(docs);

  it('normalises vectors and gives rare terms more weight', () => {
    for (const v of vectors) expect(Math.hypot(...v.values())).toBeCloseTo(1, 10);
    expect(idf.get('68')!).toBeGreaterThan(idf.get('duong')!);
  });

  it('ranks the same complaint with and without diacritics above a related one', () => {
    expect(cosine(vectors[0], vectors[1])).toBeGreaterThan(0.6);
    expect(cosine(vectors[0], vectors[2])).toBeLessThan(0.2);
    expect(cosine(vectors[0], vectors[3])).toBe(0);
  });

  it('drops terms seen in one document when asked', () => {
    const { vectors: v } = tfidfVectors(docs, { dropHapax: true });
    expect(v[3].size).toBe(0);
    expect(cosine(v[3], v[0])).toBe(0);
  });
});

describe('jaccard', () => {
  it('compares token sets', () => {
    expect(jaccard(['a', 'b', 'b'], ['b', 'c'])).toBeCloseTo(1 / 3);
    expect(jaccard([], [])).toBe(0);
  });
});
