/**
 * Prompt featurizer shared by the optimizer (training) and the router (one call per request).
 *
 * How it works: one pass over the UTF-16 code units of the text. Word characters (ASCII
 * letters, digits, `_`, and non-ASCII letters) are folded to lower case and hashed
 * incrementally with 32-bit FNV-1a while scanning, so no substring or array of words is
 * ever built. A word made only of digits is replaced by one shared `<num>` token (numbers
 * rarely repeat; their count is what matters). Each CJK ideograph/kana/hangul is a word of
 * its own, since those scripts do not separate words with spaces. At each word end the
 * unigram hash and the bigram (and, if asked, trigram) hash mixed from the previous words
 * are reduced modulo `dimensions` into buckets whose counts are accumulated in a reusable
 * scratch table, so the output holds each bucket once. Besides the hashed n-grams it
 * records the length in estimated tokens (characters / 4), the number of numeric words and
 * the number of lines; linear models read those as a one-hot length bucket plus two dense
 * extras (see `featureCount` for the layout).
 */

/** Hashing parameters; the same object lives in the policy (`classifier`, `contextual.features`). */
export interface FeatureSpec {
  /** Number of hash buckets for n-grams. */
  dimensions: number;
  /** Which n-gram orders to hash: any of 1, 2, 3. */
  ngrams: readonly number[];
  /** Upper bounds (in estimated tokens) of the length buckets, ascending; one more bucket above the last. */
  lengthBuckets: readonly number[];
}

/** Defaults used by the optimizer for both the classifier and the contextual policy. */
export const DEFAULT_FEATURE_SPEC: FeatureSpec = {
  dimensions: 2048,
  ngrams: [1, 2],
  lengthBuckets: [32, 64, 128, 256, 512, 1024, 4096],
};

/** Sparse hashed n-gram counts of one text, plus length statistics. Reusable across calls. */
export interface PromptFeatures {
  /** Distinct buckets present, in order of first occurrence; valid up to `size`. */
  indices: Int32Array;
  /** Count of each bucket in `indices`. */
  counts: Float64Array;
  size: number;
  /** Length in UTF-16 code units. */
  chars: number;
  /** Estimated tokens: ceil(chars / 4), the same estimate as the replay data. */
  tokens: number;
  words: number;
  numbers: number;
  lines: number;
  /** Index of the length bucket (0 … lengthBuckets.length). */
  lengthBucket: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const NUMBER_TOKEN = 0x2f6a9c11;

// Per-dimension scratch: bucket → (position in the output + 1). Reset after every call.
const scratchTables = new Map<number, Int32Array>();
function scratchFor(dimensions: number): Int32Array {
  let table = scratchTables.get(dimensions);
  if (!table) {
    table = new Int32Array(dimensions);
    scratchTables.set(dimensions, table);
  }
  return table;
}

/** Allocate an empty feature holder (pass it to `featurize` to avoid allocation per call). */
export function createPromptFeatures(capacity = 256): PromptFeatures {
  return {
    indices: new Int32Array(capacity),
    counts: new Float64Array(capacity),
    size: 0,
    chars: 0,
    tokens: 0,
    words: 0,
    numbers: 0,
    lines: 0,
    lengthBucket: 0,
  };
}

/** Finalizer (murmur3 fmix32), reduced to a non-negative int32 so `%` stays an integer op. */
function mix(hash: number): number {
  let h = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/** Is this code unit a CJK ideograph, kana or hangul (one word per character)? */
function isCjk(code: number): boolean {
  return (code >= 0x2e80 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7af) || (code >= 0xf900 && code <= 0xfaff);
}

function isWordCode(code: number): boolean {
  if (code < 128) {
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
  }
  // Latin-1 punctuation/symbols, general punctuation and CJK punctuation separate words.
  if (code < 0xc0) return false;
  if (code === 0xd7 || code === 0xf7) return false;
  if (code >= 0x2000 && code <= 0x2bff) return false;
  if (code >= 0x3000 && code <= 0x303f) return false;
  if (code >= 0xff00 && code <= 0xff20) return false;
  return true;
}

/** Index of the length bucket of `tokens` under `bounds`. */
export function lengthBucketOf(tokens: number, bounds: readonly number[]): number {
  let bucket = 0;
  while (bucket < bounds.length && tokens > (bounds[bucket] as number)) bucket += 1;
  return bucket;
}

/**
 * Hash `text` into `spec.dimensions` buckets (lower-cased words, the n-gram orders in
 * `spec.ngrams`). Pass `out` (from `createPromptFeatures`) to reuse its buffers; the result
 * is valid until the next call with the same `out`.
 */
export function featurize(text: string, spec: FeatureSpec, out: PromptFeatures = createPromptFeatures()): PromptFeatures {
  const dimensions = spec.dimensions;
  const slots = scratchFor(dimensions);
  let unigrams = false;
  let bigrams = false;
  let trigrams = false;
  for (const order of spec.ngrams) {
    if (order === 1) unigrams = true;
    else if (order === 2) bigrams = true;
    else if (order === 3) trigrams = true;
  }
  let size = 0;
  let words = 0;
  let numbers = 0;
  let lines = text.length > 0 ? 1 : 0;
  let previous = 0;
  let previous2 = 0;
  let wordHash = FNV_OFFSET;
  let inWord = false;
  let numeric = true;
  const length = text.length;
  // At most one unigram, bigram and trigram per word and a word needs at least one character
  // plus a separator, so this capacity is never exceeded: no growth checks in the loop.
  const capacity = Math.min(dimensions, 3 * (Math.ceil(length / 2) + 1));
  if (out.indices.length < capacity) {
    out.indices = new Int32Array(capacity);
    out.counts = new Float64Array(capacity);
  }
  const indices = out.indices;
  const counts = out.counts;
  // One extra iteration with a space as sentinel ends the last word.
  for (let index = 0; index <= length; index += 1) {
    let code = index < length ? text.charCodeAt(index) : 32;
    let cjk = false;
    let wordCode = false;
    if (code < 128) {
      wordCode = (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
      if (code === 10) lines += 1;
    } else if (code >= 0x2e80 && isCjk(code)) {
      cjk = true;
    } else {
      wordCode = isWordCode(code);
    }
    if (wordCode) {
      if (!inWord) {
        inWord = true;
        wordHash = FNV_OFFSET;
        numeric = true;
      }
      if (code >= 65 && code <= 90) code += 32;
      else if (code >= 0xc0 && code <= 0xde) code += 32;
      if (code < 48 || code > 57) numeric = false;
      wordHash = Math.imul(wordHash ^ code, FNV_PRIME);
      continue;
    }
    // A word ends here (and a CJK character is a word of its own, handled in a second round).
    for (let round = 0; round < 2; round += 1) {
      if (round === 1) {
        if (!cjk) break;
        wordHash = Math.imul(FNV_OFFSET ^ code, FNV_PRIME);
        numeric = false;
        inWord = true;
      }
      if (!inWord) continue;
      const current = numeric ? NUMBER_TOKEN : wordHash | 0;
      if (numeric) numbers += 1;
      for (let order = 1; order <= 3; order += 1) {
        let hash: number;
        if (order === 1) {
          if (!unigrams) continue;
          hash = mix(current);
        } else if (order === 2) {
          if (!bigrams || words < 1) continue;
          hash = mix(Math.imul(previous ^ 0x9e3779b9, FNV_PRIME) ^ current);
        } else {
          if (!trigrams || words < 2) continue;
          hash = mix(Math.imul(Math.imul(previous2 ^ 0x7f4a7c15, FNV_PRIME) ^ previous, FNV_PRIME) ^ current);
        }
        const bucket = hash % dimensions;
        const slot = slots[bucket] as number;
        if (slot !== 0) {
          counts[slot - 1] = (counts[slot - 1] as number) + 1;
        } else {
          indices[size] = bucket;
          counts[size] = 1;
          size += 1;
          slots[bucket] = size;
        }
      }
      previous2 = previous;
      previous = current;
      words += 1;
      inWord = false;
    }
  }

  for (let position = 0; position < size; position += 1) slots[out.indices[position] as number] = 0;
  out.size = size;
  out.chars = length;
  out.tokens = Math.ceil(length / 4);
  out.words = words;
  out.numbers = numbers;
  out.lines = lines;
  out.lengthBucket = lengthBucketOf(out.tokens, spec.lengthBuckets);
  return out;
}

/** Number of dense (non-hashed) entries at the start of the linear-model vector. */
export function denseFeatureCount(spec: FeatureSpec): number {
  return spec.lengthBuckets.length + 1 + 2;
}

/**
 * Length of the vector a linear model over these features uses. Layout: first the dense
 * entries — one slot per length bucket (one-hot), then `log1p(numbers)/4` and
 * `log1p(lines)/4` — then the `dimensions` hashed n-gram buckets (binary, scaled by
 * 1/√(distinct buckets)). Dense entries come first so a weight vector may stop after them
 * (missing entries count as 0): per-model weights stay small.
 */
export function featureCount(spec: FeatureSpec): number {
  return denseFeatureCount(spec) + spec.dimensions;
}

/**
 * Visit the non-zero entries of the linear-model vector of `features` (layout in
 * `featureCount`). Used by training; scoring inlines the same arithmetic.
 */
export function forEachLinearFeature(
  features: PromptFeatures,
  spec: FeatureSpec,
  visit: (index: number, value: number) => void,
): void {
  visit(features.lengthBucket, 1);
  const extras = spec.lengthBuckets.length + 1;
  if (features.numbers > 0) visit(extras, Math.log1p(features.numbers) / 4);
  if (features.lines > 1) visit(extras + 1, Math.log1p(features.lines) / 4);
  const base = extras + 2;
  const scale = features.size > 0 ? 1 / Math.sqrt(features.size) : 0;
  for (let position = 0; position < features.size; position += 1) visit(base + (features.indices[position] as number), scale);
}

/**
 * Dot product of `weights` with the linear-model vector of `features`; `weights` may be
 * shorter than `featureCount(spec)` (missing entries are 0), e.g. dense-only weights.
 */
export function linearDot(weights: ArrayLike<number>, features: PromptFeatures, spec: FeatureSpec): number {
  const length = weights.length;
  if (length === 0) return 0;
  let sum = weights[features.lengthBucket] ?? 0;
  const extras = spec.lengthBuckets.length + 1;
  if (features.numbers > 0) sum += (weights[extras] ?? 0) * (Math.log1p(features.numbers) / 4);
  if (features.lines > 1) sum += (weights[extras + 1] ?? 0) * (Math.log1p(features.lines) / 4);
  const base = extras + 2;
  if (length <= base || features.size === 0) return sum;
  let hashed = 0;
  for (let position = 0; position < features.size; position += 1) hashed += weights[base + (features.indices[position] as number)] ?? 0;
  return sum + hashed / Math.sqrt(features.size);
}

/** Do two specs hash identically (so one `featurize` call serves both)? */
export function sameFeatureSpec(a: FeatureSpec, b: FeatureSpec): boolean {
  return (
    a.dimensions === b.dimensions &&
    a.ngrams.length === b.ngrams.length &&
    a.ngrams.every((order, index) => b.ngrams[index] === order) &&
    a.lengthBuckets.length === b.lengthBuckets.length &&
    a.lengthBuckets.every((bound, index) => b.lengthBuckets[index] === bound)
  );
}
