// Quality of the hot-issues clustering on the labelled corpus (test/fixtures/hot-issues).
//
//   node scripts/hot-issues-quality.mjs                 precision, recall, F1, B-cubed, timing
//   node scripts/hot-issues-quality.mjs --sweep         the same over a range of thresholds
//   node scripts/hot-issues-quality.mjs --threshold 0.1 one threshold
//   node scripts/hot-issues-quality.mjs --scale 5000    also time a synthetic week of 5,000 opinions
//
// The rules are TypeScript and not reachable from the built apps, so they are transpiled on
// the fly with the repository's own TypeScript (as test/jest/esm-transformer.cjs does) into a
// temporary folder; `@gopy/text` resolves to libs/text/src.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ts = require('typescript');

function transpileDir(sourceDir, targetDir, rewrite) {
  mkdirSync(targetDir, { recursive: true });
  for (const name of readdirSync(sourceDir)) {
    if (!name.endsWith('.ts') || name.endsWith('.spec.ts')) continue;
    const source = readFileSync(join(sourceDir, name), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: name,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    writeFileSync(join(targetDir, name.replace(/\.ts$/, '.js')), rewrite(outputText));
  }
}

function loadRules() {
  const out = mkdtempSync(join(tmpdir(), 'hot-issues-'));
  const textDir = join(out, 'text');
  const rulesDir = join(out, 'rules');
  transpileDir(join(root, 'libs/text/src'), textDir, (code) => code);
  const textPath = `./${relative(rulesDir, textDir).split('\\').join('/')}/index.js`;
  transpileDir(join(root, 'libs/digest/src/rules'), rulesDir, (code) =>
    code.replace(/require\((["'])@gopy\/text\1\)/g, `require(${JSON.stringify(textPath)})`),
  );
  const load = (name) => require(join(rulesDir, `${name}.js`));
  const modules = { clusters: load('clusters'), quality: load('quality'), redact: load('redact') };
  rmSync(out, { recursive: true, force: true });
  return modules;
}

function arg(name) {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const { clusters, quality, redact } = loadRules();
const corpus = JSON.parse(readFileSync(join(root, 'test/fixtures/hot-issues/corpus.json'), 'utf8'));
const items = corpus.items.map((it) => ({ id: it.id, text: it.text, submitterKey: it.submitter, unitCode: it.unit }));
const pct = (x) => `${(100 * x).toFixed(1)}%`;

function run(threshold) {
  const started = process.hrtime.bigint();
  const hot = clusters.clusterOpinions(items, threshold === undefined ? {} : { threshold });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const report = quality.evaluateClusters(
    hot.map((c) => c.ids),
    corpus.items,
  );
  return { hot, report, ms };
}

function line(threshold, { report, hot, ms }) {
  const { pairwise: p, bcubed: b } = report;
  return (
    `threshold ${String(threshold).padEnd(5)} pairwise P ${pct(p.precision)} R ${pct(p.recall)} F1 ${pct(p.f1)}  ` +
    `B3 P ${pct(b.precision)} R ${pct(b.recall)} F1 ${pct(b.f1)}  hot ${hot.length} / true ${report.trueClusters} ` +
    `(matched ${report.matchedClusters})  ${ms.toFixed(1)} ms`
  );
}

if (process.argv.includes('--sweep')) {
  for (let t = 0.04; t <= 0.3001; t += 0.02) console.log(line(t.toFixed(2), run(Number(t.toFixed(2)))));
} else {
  const threshold = arg('--threshold') === undefined ? undefined : Number(arg('--threshold'));
  const result = run(threshold);
  const { report, hot, ms } = result;
  const truthOf = new Map(corpus.items.map((it) => [it.id, it.cluster]));
  const textOf = new Map(corpus.items.map((it) => [it.id, it.text]));
  console.log(`corpus: ${corpus.items.length} opinions, ${report.trueClusters} true clusters`);
  console.log(`threshold: ${threshold ?? clusters.DEFAULT_THRESHOLD}, minSize: ${clusters.DEFAULT_MIN_SIZE}`);
  console.log(
    `pairwise precision ${pct(report.pairwise.precision)}  recall ${pct(report.pairwise.recall)}  F1 ${pct(report.pairwise.f1)}` +
      `  (${report.pairwise.correctPairs} correct of ${report.pairwise.predictedPairs} predicted pairs, ${report.pairwise.truePairs} true pairs)`,
  );
  console.log(
    `B-cubed  precision ${pct(report.bcubed.precision)}  recall ${pct(report.bcubed.recall)}  F1 ${pct(report.bcubed.f1)}`,
  );
  console.log(`hot clusters found: ${hot.length} (true: ${report.trueClusters}, matched: ${report.matchedClusters})`);
  console.log(`time: ${ms.toFixed(1)} ms`);
  if (process.argv.includes('--verbose')) {
    for (const c of hot) {
      const labels = c.ids.map((id) => truthOf.get(id) ?? '-').join(' ');
      console.log(
        `\n[${c.size} / ${c.distinctSubmitters} people] ${c.topTerms.join(', ')} | units ${c.units.join(' ')}`,
      );
      console.log(`  truth: ${labels}`);
      console.log(`  « ${redact.excerpt(redact.redactPersonalData(textOf.get(c.representativeId)), 160)} »`);
    }
  }
}

const scale = arg('--scale');
if (scale) {
  // A synthetic week: corpus opinions with words dropped and shuffled between copies.
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = Number(scale);
  const week = Array.from({ length: n }, (_, i) => {
    const base = corpus.items[Math.floor(rand() * corpus.items.length)];
    const words = base.text.split(/\s+/).filter(() => rand() > 0.2);
    return { id: `x${i}`, text: words.join(' '), submitterKey: `u${Math.floor(rand() * n)}`, unitCode: base.unit };
  });
  const started = process.hrtime.bigint();
  const hot = clusters.clusterOpinions(week);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`scale: ${n} opinions -> ${hot.length} hot clusters in ${ms.toFixed(0)} ms`);
}
