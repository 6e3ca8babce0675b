/** A public benchmark file that `passk datasets fetch NAME` can download. */
export interface DatasetSource {
  name: string;
  preset: string;
  url: string;
  /** The file name written into the output folder. */
  fileName: string;
  /**
   * sha256 of the exact bytes, hex. null = unverified: nobody here has seen the file, so fetch
   * refuses it unless the user passes --allow-unpinned.
   */
  sha256: string | null;
  origin: string;
}

const QWEN = 'https://raw.githubusercontent.com/QwenLM/Qwen2.5-Math/main/evaluation/data';

export const datasetSources: readonly DatasetSource[] = [
  {
    name: 'gsm8k',
    preset: 'gsm8k',
    url: 'https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/test.jsonl',
    fileName: 'gsm8k-test.jsonl',
    sha256: '3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14',
    origin: 'openai/grade-school-math (MIT)',
  },
  {
    name: 'math500',
    preset: 'math500',
    url: 'https://raw.githubusercontent.com/LeapLabTHU/limit-of-RLVR/main/math/examples/math_eval/data/math500/test.jsonl',
    fileName: 'math500-test.jsonl',
    sha256: '35dc41080a3680858b27fa7e0533d2d547825316fc5dafe5d316f4ccc5a06132',
    origin: 'LeapLabTHU/limit-of-RLVR (= PRM800K math_splits/test.jsonl)',
  },
  {
    name: 'aime24',
    preset: 'aime24',
    url: `${QWEN}/aime24/test.jsonl`,
    fileName: 'aime24-test.jsonl',
    sha256: 'af2b8bd2aa911b6333ad0df32f3ca05c7ae8ed10f1731f4372c8ae26990bf7ac',
    origin: 'QwenLM/Qwen2.5-Math evaluation/data',
  },
  {
    name: 'amc23',
    preset: 'amc23',
    url: `${QWEN}/amc23/test.jsonl`,
    fileName: 'amc23-test.jsonl',
    sha256: '43707e1ca784602d8479de24ee8ce36609dbebc46dd152b0b12a46611aa898a4',
    origin: 'QwenLM/Qwen2.5-Math evaluation/data',
  },
  {
    name: 'minerva',
    preset: 'minerva',
    url: `${QWEN}/minerva_math/test.jsonl`,
    fileName: 'minerva_math-test.jsonl',
    sha256: '0e656b430d3a0a1dab6aa853f453ba3805e28e2cabe4fc72486a897cc09d8ba2',
    origin: 'QwenLM/Qwen2.5-Math evaluation/data',
  },
  {
    name: 'olympiadbench',
    preset: 'olympiadbench',
    url: `${QWEN}/olympiadbench/test.jsonl`,
    fileName: 'olympiadbench-test.jsonl',
    sha256: 'bb8c1e38a16ea9eacb77530315a674d883f267fbff79183effc53681b4fcc416',
    origin: 'QwenLM/Qwen2.5-Math evaluation/data',
  },
  {
    name: 'humaneval',
    preset: 'humaneval',
    url: 'https://raw.githubusercontent.com/openai/human-eval/master/data/HumanEval.jsonl.gz',
    fileName: 'HumanEval.jsonl.gz',
    sha256: 'b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef',
    origin: 'openai/human-eval (MIT)',
  },
  {
    name: 'humaneval-plus',
    preset: 'humaneval-plus',
    url: 'https://github.com/evalplus/humanevalplus_release/releases/download/v0.1.10/HumanEvalPlus-v0.1.10.jsonl.gz',
    fileName: 'HumanEvalPlus-v0.1.10.jsonl.gz',
    sha256: null, // unverified: not available offline here
    origin: 'evalplus/humanevalplus_release (Apache-2.0)',
  },
  {
    name: 'mbpp',
    preset: 'mbpp',
    url: 'https://raw.githubusercontent.com/google-research/google-research/master/mbpp/mbpp.jsonl',
    fileName: 'mbpp.jsonl',
    sha256: null, // unverified: not available offline here
    origin: 'google-research/google-research mbpp (CC-BY-4.0)',
  },
  {
    // The hand-verified 427 tasks (a JSON array), also shipped as resources/benchmarks/sanitized-mbpp.json.
    name: 'mbpp-sanitized',
    preset: 'mbpp',
    url: 'https://raw.githubusercontent.com/google-research/google-research/master/mbpp/sanitized-mbpp.json',
    fileName: 'sanitized-mbpp.json',
    sha256: 'ca95deaa9a01ef0a6f439f88bcf0dd3db3563d22f22aad6cae04ebb9a8d8c8e9',
    origin: 'google-research/google-research mbpp, sanitized (CC-BY-4.0)',
  },
  {
    name: 'mbpp-plus',
    preset: 'mbpp-plus',
    url: 'https://github.com/evalplus/mbppplus_release/releases/download/v0.2.0/MbppPlus-v0.2.0.jsonl.gz',
    fileName: 'MbppPlus-v0.2.0.jsonl.gz',
    sha256: null, // unverified: not available offline here
    origin: 'evalplus/mbppplus_release (Apache-2.0)',
  },
  {
    name: 'livecodebench',
    preset: 'livecodebench',
    url: 'https://huggingface.co/datasets/livecodebench/code_generation_lite/resolve/main/test.jsonl',
    fileName: 'livecodebench-test.jsonl',
    sha256: null, // unverified: not available offline here
    origin: 'livecodebench/code_generation_lite release_v1 (CC-BY-4.0)',
  },
];

export function findSource(name: string): DatasetSource | undefined {
  return datasetSources.find((s) => s.name === name.toLowerCase());
}
