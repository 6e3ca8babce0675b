"""Hugging Face folder files: a character-level tokenizer.json, tokenizer_config.json with a
ChatML chat template, config.json (model_type qwen2) and generation_config.json."""
import json
import os

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
ENDOFTEXT, IM_START, IM_END = 0, 1, 2
# Every printable ASCII character plus newline is one token; BPE with no merges keeps it
# character-level while staying in the format every HF tokenizer implementation loads.
CHARS = ["\n"] + [chr(c) for c in range(32, 127)]
VOCAB = {tok: i for i, tok in enumerate(SPECIAL_TOKENS + CHARS)}
VOCAB_SIZE = len(VOCAB)

PROMPT_SUFFIX = "Please reason step by step, and put your final answer within \\boxed{}."

CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def chat_prompt(user: str, system: str | None = None) -> str:
    """What CHAT_TEMPLATE renders with add_generation_prompt=True."""
    out = ""
    if system is not None:
        out += f"<|im_start|>system\n{system}<|im_end|>\n"
    out += f"<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"
    return out


def encode(text: str) -> list[int]:
    """Same result as tokenizer.json: special tokens first, then one id per known character."""
    ids: list[int] = []
    i = 0
    while i < len(text):
        for sid, st in enumerate(SPECIAL_TOKENS):
            if text.startswith(st, i):
                ids.append(sid)
                i += len(st)
                break
        else:
            ch = text[i]
            if ch in VOCAB:
                ids.append(VOCAB[ch])
            i += 1
    return ids


INV_VOCAB = {i: t for t, i in VOCAB.items()}


def decode(ids, skip_special: bool = True) -> str:
    return "".join(INV_VOCAB[i] for i in ids if not (skip_special and i < len(SPECIAL_TOKENS)))


def tokenizer_json() -> dict:
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for i, t in enumerate(SPECIAL_TOKENS)
        ],
        "normalizer": None,
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": {"type": "Fuse"},
        "model": {
            "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
            "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
            "ignore_merges": False, "vocab": VOCAB, "merges": [],
        },
    }


def tokenizer_config() -> dict:
    return {
        "added_tokens_decoder": {
            str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False,
                     "single_word": False, "special": True}
            for i, t in enumerate(SPECIAL_TOKENS)
        },
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "bos_token": None,
        "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>",
        "unk_token": None,
        "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "model_max_length": 512,
        "tokenizer_class": "PreTrainedTokenizerFast",
    }


def model_config(cfg) -> dict:
    return {
        "architectures": ["Qwen2ForCausalLM"],
        "model_type": "qwen2",
        "vocab_size": cfg.vocab_size,
        "hidden_size": cfg.hidden_size,
        "intermediate_size": cfg.intermediate_size,
        "num_hidden_layers": cfg.num_hidden_layers,
        "num_attention_heads": cfg.num_attention_heads,
        "num_key_value_heads": cfg.num_key_value_heads,
        "head_dim": cfg.head_dim,
        "max_position_embeddings": cfg.max_position_embeddings,
        "rope_theta": cfg.rope_theta,
        "rms_norm_eps": cfg.rms_norm_eps,
        "hidden_act": "silu",
        "attention_dropout": 0.0,
        "tie_word_embeddings": False,
        "use_cache": True,
        "bos_token_id": ENDOFTEXT,
        "eos_token_id": IM_END,
        "pad_token_id": ENDOFTEXT,
        "torch_dtype": "float32",
    }


def generation_config() -> dict:
    return {
        "bos_token_id": ENDOFTEXT,
        "eos_token_id": [IM_END, ENDOFTEXT],
        "pad_token_id": ENDOFTEXT,
        "do_sample": True,
        "temperature": 0.6,
        "top_p": 0.95,
        "max_new_tokens": 256,
    }


def write_json(path: str, obj: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def write_hf_files(folder: str, cfg) -> None:
    os.makedirs(folder, exist_ok=True)
    write_json(os.path.join(folder, "tokenizer.json"), tokenizer_json())
    write_json(os.path.join(folder, "tokenizer_config.json"), tokenizer_config())
    write_json(os.path.join(folder, "config.json"), model_config(cfg))
    write_json(os.path.join(folder, "generation_config.json"), generation_config())
